package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * What a deploy and a rollback share as a form gives it (how to reach the servers, what to invalidate, where the
 * report goes), and how those values become the engine's settings: {@link DeployParameters} and
 * {@link RollbackParameters} turn them into their requests the same way.
 */
interface SiteParameters {
    String distributionIds();

    String roleArn();

    String urlPrefix();

    String indexDocuments();

    String invalidationMode();

    Double maxCollateral();

    boolean invalidateAdded();

    boolean waitForCompletion();

    Integer waitTimeoutMinutes();

    String hostKeyMode();

    String knownHostsFile();

    String approvedHostKeys();

    String reportDir();

    String endpointUrl();

    /** How often a keepalive the server must answer is sent, in seconds; {@code null}: the default. */
    Integer aliveIntervalSeconds();

    /** Keepalives left unanswered before the connection counts as lost; {@code null}: the default. */
    Integer aliveCountMax();

    /** The words of the front end the values came from, for the messages that name a fix. */
    Vocabulary vocabulary();

    /** @param scratch a private folder for the approved host keys' file, removed by the caller */
    static SshSettings ssh(SiteParameters p, DeployParameters.Secrets s, Path scratch) throws IOException {
        SshSettings.Builder b = SshSettings.builder()
                .vocabulary(p.vocabulary())
                .identityText(s.privateKey())
                .passphrase(s.passphrase())
                .password(s.password())
                .hostKeyVerification(blankToNull(p.hostKeyMode()) == null ? HostKeyVerification.STRICT
                        : HostKeyVerification.parse(p.hostKeyMode().trim()))
                .aliveInterval(p.aliveIntervalSeconds() == null ? null : Duration.ofSeconds(p.aliveIntervalSeconds()))
                .aliveCountMax(p.aliveCountMax());
        if (blankToNull(p.approvedHostKeys()) != null) {
            Path file = scratch.resolve("known_hosts");
            Files.writeString(file, p.approvedHostKeys().trim() + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            b.approvedHostKeysFile(file);
        } else if (blankToNull(p.knownHostsFile()) != null) {
            b.knownHostsFile(Path.of(p.knownHostsFile().trim()));
        }
        return b.build();
    }

    static InvalidationOptions invalidation(SiteParameters p, DeployParameters.Secrets s) {
        InvalidationOptions.Builder b = InvalidationOptions.builder()
                .vocabulary(p.vocabulary())
                .distributions(DeployParameters.list(p.distributionIds()))
                .invalidateAdded(p.invalidateAdded())
                .waitForCompletion(p.waitForCompletion())
                .aws(new CloudFrontSettings(null, s.awsAccessKeyId(), s.awsSecretAccessKey(), s.awsSessionToken(),
                        blankToNull(p.roleArn()), null, blankToNull(p.endpointUrl()), s.proxy(), p.vocabulary()));
        if (blankToNull(p.urlPrefix()) != null) {
            b.urlPrefix(p.urlPrefix().trim());
        }
        if (blankToNull(p.indexDocuments()) != null) {
            b.indexDocuments(p.indexDocuments().trim().equals(DeployParameters.NO_INDEX_DOCUMENTS) ? List.of()
                    : DeployParameters.list(p.indexDocuments()));
        }
        if (blankToNull(p.invalidationMode()) != null) {
            b.mode(PlanMode.parse(p.invalidationMode().trim()));
        }
        if (p.maxCollateral() != null) {
            b.maxCollateral(p.maxCollateral());
        }
        if (p.waitTimeoutMinutes() != null) {
            b.waitTimeout(Duration.ofMinutes(p.waitTimeoutMinutes()));
        }
        return b.build();
    }

    /** The report folder, relative to the workspace unless absolute. */
    static String reportDir(SiteParameters p, Path workspace) {
        return workspace.resolve(blankToNull(p.reportDir()) == null ? DiffRequest.DEFAULT_REPORT_DIR
                : p.reportDir().trim()).toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
