package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Switch production back to an earlier release.
 *
 * @param to the release to go back to, or {@code null} for the newest good one before the live release
 * @param releasesDir where releases are when not beside the link, or {@code null}
 * @param verifyRemote hash both releases on the server, ignoring the manifests stored with them
 * @param invalidation what to invalidate in CloudFront once every host is switched back
 * @param vocabulary how the front end names the options, for the messages ({@link Vocabulary#CLI} when {@code null})
 */
public record RollbackRequest(List<SshTarget> targets, String to, SshSettings ssh, String releasesDir,
        String reportDir, Duration lockTimeout, boolean breakLock, boolean verifyRemote,
        InvalidationOptions invalidation, Vocabulary vocabulary) implements Serializable {
    public RollbackRequest {
        vocabulary = vocabulary != null ? vocabulary : Vocabulary.CLI;
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new DeployException("no target: give the production link ("
                    + vocabulary.given(Vocabulary.Setting.TARGET, "ssh://user@host/var/www/site/production") + ")");
        }
        // the request's words are those of every part of it
        ssh = (ssh != null ? ssh : SshSettings.builder().build()).withVocabulary(vocabulary);
        reportDir = reportDir != null ? reportDir : DiffRequest.DEFAULT_REPORT_DIR;
        lockTimeout = lockTimeout != null ? lockTimeout : DeployRequest.DEFAULT_LOCK_TIMEOUT;
        invalidation = (invalidation != null ? invalidation : InvalidationOptions.NONE).withVocabulary(vocabulary);
    }

    /** A rollback whose messages speak the command line's words. */
    public RollbackRequest(List<SshTarget> targets, String to, SshSettings ssh, String releasesDir, String reportDir,
            Duration lockTimeout, boolean breakLock, boolean verifyRemote, InvalidationOptions invalidation) {
        this(targets, to, ssh, releasesDir, reportDir, lockTimeout, breakLock, verifyRemote, invalidation, null);
    }

    public Path reportPath() {
        return Path.of(reportDir);
    }
}
