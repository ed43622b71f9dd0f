package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to compare: the new build's folder against the live release behind a target link.
 *
 * @param source the build output folder (on this machine)
 * @param target the production link, local or over SSH
 * @param excludes glob patterns of source paths to leave out
 * @param ssh how to connect and trust the server (ignored for a local target)
 * @param reportDir where {@code changes.txt} and {@code report.json} go
 * @param verifyRemote hash every candidate file on the server, ignoring the manifest stored with the live release
 * @param vocabulary how the front end names the options, for the messages ({@link Vocabulary#CLI} when {@code null})
 */
public record DiffRequest(String source, SshTarget target, List<String> excludes, SshSettings ssh, String reportDir,
        boolean verifyRemote, Vocabulary vocabulary) implements Serializable {
    public static final String DEFAULT_REPORT_DIR = "cloudfront-deploy";

    public DiffRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        excludes = List.copyOf(excludes);
        vocabulary = vocabulary != null ? vocabulary : Vocabulary.CLI;
        ssh = (ssh != null ? ssh : SshSettings.builder().build()).withVocabulary(vocabulary);
        reportDir = reportDir != null ? reportDir : DEFAULT_REPORT_DIR;
    }

    public DiffRequest(String source, SshTarget target, List<String> excludes, SshSettings ssh, String reportDir,
            boolean verifyRemote) {
        this(source, target, excludes, ssh, reportDir, verifyRemote, null);
    }

    public DiffRequest(String source, SshTarget target, List<String> excludes, SshSettings ssh, String reportDir) {
        this(source, target, excludes, ssh, reportDir, false);
    }

    public Path sourcePath() {
        return Path.of(source);
    }

    public Path reportPath() {
        return Path.of(reportDir);
    }
}
