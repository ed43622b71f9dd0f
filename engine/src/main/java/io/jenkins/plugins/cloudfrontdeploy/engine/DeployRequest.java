package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to deploy where: the build folder as a new release on one or more servers. Built with {@link #builder}.
 *
 * @param targets the production link on each server (several servers are deployed together)
 * @param releasesDir the folder for release folders, or {@code null} for the link's own folder
 * @param keep how many releases this tool created to keep per server (the live and previous ones always stay)
 * @param maxDeletes the most files a deploy may remove; more is refused (a broken build must not wipe the site);
 *     -1 for no limit
 * @param lockTimeout how long to wait for another deploy to finish
 * @param verifyRemote hash the live release on the server, ignoring the manifest stored with it
 * @param allowExternalLinks deploy symbolic links that lead outside the build (absolute, or climbing above it),
 *     with a warning naming them, instead of refusing the build
 * @param keepRemoved how many later deploys a file the build removed stays servable for (hard-linked, not
 *     invalidated; pages are never kept); 0 removes it with the deploy
 * @param invalidateExpired invalidate a kept file when it finally goes (nothing links to it by then)
 * @param invalidation what to invalidate in CloudFront once every host is switched ({@link InvalidationOptions#NONE})
 * @param vocabulary how the front end names the options, for the messages ({@link Vocabulary#CLI} when {@code null})
 * @param edge whether to check what the edge serves once the invalidations completed ({@link EdgeOptions#NONE});
 *     a check makes the deploy wait for its invalidations
 */
public record DeployRequest(
        String source,
        List<SshTarget> targets,
        String release,
        List<String> excludes,
        SshSettings ssh,
        String reportDir,
        String releasesDir,
        int keep,
        int maxDeletes,
        boolean dryRun,
        boolean breakLock,
        boolean allowDivergent,
        Duration lockTimeout,
        boolean verifyRemote,
        boolean allowExternalLinks,
        int keepRemoved,
        boolean invalidateExpired,
        InvalidationOptions invalidation,
        Vocabulary vocabulary,
        EdgeOptions edge)
        implements Serializable {
    public static final int DEFAULT_KEEP = 5;
    public static final int DEFAULT_KEEP_REMOVED = 1;
    public static final int DEFAULT_MAX_DELETES = 256;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);

    public DeployRequest {
        Objects.requireNonNull(source, "source");
        vocabulary = vocabulary != null ? vocabulary : Vocabulary.CLI;
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new DeployException("no target: give the production link ("
                    + vocabulary.given(Vocabulary.Setting.TARGET, "ssh://user@host/var/www/site/production") + ")");
        }
        if (targets.stream().distinct().count() != targets.size()) {
            throw new DeployException("the same target is given twice: " + targets);
        }
        excludes = List.copyOf(excludes);
        // the request's words are those of every part of it
        ssh = (ssh != null ? ssh : SshSettings.builder().build()).withVocabulary(vocabulary);
        reportDir = reportDir != null ? reportDir : DiffRequest.DEFAULT_REPORT_DIR;
        lockTimeout = lockTimeout != null ? lockTimeout : DEFAULT_LOCK_TIMEOUT;
        invalidation = (invalidation != null ? invalidation : InvalidationOptions.NONE).withVocabulary(vocabulary);
        edge = edge != null ? edge : EdgeOptions.NONE;
        if (edge.enabled() && invalidation.enabled() && !invalidation.waitForCompletion()) {
            invalidation = invalidation.withWait(); // the edge is checked once the invalidations completed
        }
        if (keep < 2) {
            throw new DeployException(vocabulary.given(Vocabulary.Setting.KEEP, keep) + " is too small: the live and"
                    + " the previous release are always kept, so give 2 or more");
        }
        if (keepRemoved < 0) {
            throw new DeployException(vocabulary.given(Vocabulary.Setting.KEEP_REMOVED, keepRemoved) + " is not valid:"
                    + " give the number of later deploys a removed file stays for, or 0 to remove it with the deploy");
        }
        if (maxDeletes < -1) {
            throw new DeployException(vocabulary.given(Vocabulary.Setting.MAX_DELETES, maxDeletes) + " is not valid:"
                    + " give a count, or -1 for no limit");
        }
    }

    public static Builder builder(String source, String release) {
        return new Builder(source, release);
    }

    public Path sourcePath() {
        return Path.of(source);
    }

    public Path reportPath() {
        return Path.of(reportDir);
    }

    /** The diff part of this request, against one target. */
    public DiffRequest diffRequest(SshTarget target) {
        return new DiffRequest(source, target, excludes, ssh, reportDir, verifyRemote, vocabulary);
    }

    /** Collects the options; everything but source, release and one target has a default. */
    public static final class Builder {
        private final String source;
        private final String release;
        private final List<SshTarget> targets = new ArrayList<>();
        private List<String> excludes = List.of();
        private SshSettings ssh;
        private String reportDir;
        private String releasesDir;
        private int keep = DEFAULT_KEEP;
        private int maxDeletes = DEFAULT_MAX_DELETES;
        private boolean dryRun;
        private boolean breakLock;
        private boolean allowDivergent;
        private Duration lockTimeout;
        private boolean verifyRemote;
        private boolean allowExternalLinks;
        private int keepRemoved = DEFAULT_KEEP_REMOVED;
        private boolean invalidateExpired;
        private InvalidationOptions invalidation;
        private Vocabulary vocabulary;
        private EdgeOptions edge;

        private Builder(String source, String release) {
            this.source = source;
            this.release = release;
        }

        public Builder target(SshTarget target) {
            targets.add(target);
            return this;
        }

        public Builder excludes(List<String> excludes) {
            this.excludes = excludes;
            return this;
        }

        public Builder ssh(SshSettings ssh) {
            this.ssh = ssh;
            return this;
        }

        public Builder reportDir(String reportDir) {
            this.reportDir = reportDir;
            return this;
        }

        public Builder releasesDir(String releasesDir) {
            this.releasesDir = releasesDir;
            return this;
        }

        public Builder keep(int keep) {
            this.keep = keep;
            return this;
        }

        public Builder maxDeletes(int maxDeletes) {
            this.maxDeletes = maxDeletes;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Builder breakLock(boolean breakLock) {
            this.breakLock = breakLock;
            return this;
        }

        public Builder allowDivergent(boolean allowDivergent) {
            this.allowDivergent = allowDivergent;
            return this;
        }

        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        public Builder verifyRemote(boolean verifyRemote) {
            this.verifyRemote = verifyRemote;
            return this;
        }

        public Builder allowExternalLinks(boolean allowExternalLinks) {
            this.allowExternalLinks = allowExternalLinks;
            return this;
        }

        /** Later deploys a file the build removed stays servable for; 0 removes it with the deploy. */
        public Builder keepRemoved(int keepRemoved) {
            this.keepRemoved = keepRemoved;
            return this;
        }

        /** Invalidate kept files when they finally go. */
        public Builder invalidateExpired(boolean invalidateExpired) {
            this.invalidateExpired = invalidateExpired;
            return this;
        }

        public Builder invalidation(InvalidationOptions invalidation) {
            this.invalidation = invalidation;
            return this;
        }

        /** The front end's words for the messages (default: the command line's). */
        public Builder vocabulary(Vocabulary vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        /** Check what the edge serves once the invalidations completed (default: no check). */
        public Builder edge(EdgeOptions edge) {
            this.edge = edge;
            return this;
        }

        public DeployRequest build() {
            return new DeployRequest(source, targets, release, excludes, ssh, reportDir, releasesDir, keep,
                    maxDeletes, dryRun, breakLock, allowDivergent, lockTimeout, verifyRemote, allowExternalLinks,
                    keepRemoved, invalidateExpired, invalidation, vocabulary, edge);
        }
    }
}
