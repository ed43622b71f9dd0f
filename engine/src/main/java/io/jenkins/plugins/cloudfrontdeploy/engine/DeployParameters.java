package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A deploy as a form or a Pipeline step gives it: text and numbers, blank or {@code null} for the defaults, lists as
 * text. Holds no secret, so it can travel to the agent as is; the secrets go separately in {@link Secrets}.
 *
 * @param source the build folder, relative to the workspace (or absolute)
 * @param targets production links separated by lines, spaces or commas
 * @param release the release name (front ends default it, e.g. to the build number)
 * @param indexDocuments names separated by spaces or commas; blank: {@code index.html}; {@value #NO_INDEX_DOCUMENTS}: none
 * @param hostKeyMode {@code strict}, {@code accept-new} or {@code off}; {@code null}: strict
 * @param approvedHostKeys known_hosts lines to trust instead of a file, or {@code null}
 * @param lockTimeoutMinutes how long to wait for another deploy's lock; {@code null}: 5
 * @param breakLock remove a lock another deploy left (it stops before changing anything more) instead of waiting
 */
public record DeployParameters(
        String source,
        String targets,
        String release,
        String excludes,
        String distributionIds,
        String roleArn,
        String urlPrefix,
        String indexDocuments,
        String invalidationMode,
        Double maxCollateral,
        boolean invalidateAdded,
        boolean waitForCompletion,
        Integer waitTimeoutMinutes,
        Integer keepReleases,
        boolean dryRun,
        String hostKeyMode,
        String knownHostsFile,
        String approvedHostKeys,
        String reportDir,
        String endpointUrl,
        Integer lockTimeoutMinutes,
        boolean breakLock)
        implements Serializable {
    /** The index documents value that means none (a blank one means the default). */
    public static final String NO_INDEX_DOCUMENTS = "none";

    /**
     * The secrets a front end resolved (e.g. from Jenkins credentials); never printed.
     *
     * @param sshUser the user for targets that name none, or {@code null}
     */
    public record Secrets(String sshUser, char[] privateKey, char[] passphrase, char[] password, String awsAccessKeyId,
            String awsSecretAccessKey, String awsSessionToken) {
        public static final Secrets NONE = new Secrets(null, null, null, null, null, null, null);

        @Override
        public String toString() {
            return "Secrets[sshUser=" + sshUser + ", awsAccessKeyId=" + awsAccessKeyId + "]";
        }
    }

    /**
     * The engine's request.
     *
     * @param workspace what relative folders are relative to
     * @param scratch a private folder for files the connection needs (approved host keys), removed by the caller
     */
    public DeployRequest toRequest(Path workspace, Secrets secrets, Path scratch) throws IOException {
        List<SshTarget> parsed = targets(targets, secrets.sshUser());
        DeployRequest.Builder b = DeployRequest.builder(workspace.resolve(require(source, "source")).toString(),
                        ReleaseName.require(blankToNull(release)))
                .excludes(lines(excludes))
                .ssh(ssh(secrets, scratch))
                .reportDir(workspace.resolve(blankToNull(reportDir) == null ? DiffRequest.DEFAULT_REPORT_DIR
                        : reportDir.trim()).toString())
                .dryRun(dryRun)
                .breakLock(breakLock)
                .invalidation(invalidation(secrets));
        if (keepReleases != null) {
            b.keep(keepReleases);
        }
        if (lockTimeoutMinutes != null) {
            b.lockTimeout(Duration.ofMinutes(lockTimeoutMinutes));
        }
        parsed.forEach(b::target);
        return b.build();
    }

    private SshSettings ssh(Secrets s, Path scratch) throws IOException {
        SshSettings.Builder b = SshSettings.builder()
                .identityText(s.privateKey())
                .passphrase(s.passphrase())
                .password(s.password())
                .hostKeyVerification(blankToNull(hostKeyMode) == null ? HostKeyVerification.STRICT
                        : HostKeyVerification.parse(hostKeyMode.trim()));
        if (blankToNull(approvedHostKeys) != null) {
            Path file = scratch.resolve("known_hosts");
            Files.writeString(file, approvedHostKeys.trim() + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            b.knownHostsFile(file);
        } else if (blankToNull(knownHostsFile) != null) {
            b.knownHostsFile(Path.of(knownHostsFile.trim()));
        }
        return b.build();
    }

    private InvalidationOptions invalidation(Secrets s) {
        InvalidationOptions.Builder b = InvalidationOptions.builder()
                .distributions(list(distributionIds))
                .invalidateAdded(invalidateAdded)
                .waitForCompletion(waitForCompletion)
                .aws(new CloudFrontSettings(null, s.awsAccessKeyId(), s.awsSecretAccessKey(), s.awsSessionToken(),
                        blankToNull(roleArn), null, blankToNull(endpointUrl)));
        if (blankToNull(urlPrefix) != null) {
            b.urlPrefix(urlPrefix.trim());
        }
        if (blankToNull(indexDocuments) != null) {
            b.indexDocuments(indexDocuments.trim().equals(NO_INDEX_DOCUMENTS) ? List.of() : list(indexDocuments));
        }
        if (blankToNull(invalidationMode) != null) {
            b.mode(PlanMode.parse(invalidationMode.trim()));
        }
        if (maxCollateral != null) {
            b.maxCollateral(maxCollateral);
        }
        if (waitTimeoutMinutes != null) {
            b.waitTimeout(Duration.ofMinutes(waitTimeoutMinutes));
        }
        return b.build();
    }

    /** Every target of a list, checked: the message of the first bad one is the error. */
    public static List<SshTarget> targets(String text, String defaultUser) {
        List<String> items = list(text);
        if (items.isEmpty()) {
            throw new DeployException("no target: give the production link, ssh://user@host/var/www/site/production");
        }
        return items.stream().map(t -> SshTarget.parse(t, defaultUser)).toList();
    }

    /** Distribution ids as {@link InvalidationOptions} accepts them, or its error. */
    public static List<String> distributions(String text) {
        return InvalidationOptions.builder().distributions(list(text)).build().distributions();
    }

    /** Items separated by lines, commas or spaces (none of which a target, id or glob here needs). */
    public static List<String> list(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    }

    /** Items separated by lines or commas: globs may contain spaces. */
    public static List<String> lines(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[\\n,]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String require(String value, String what) {
        if (blankToNull(value) == null) {
            throw new DeployException("no " + what + " folder: give the build output folder, relative to the"
                    + " workspace");
        }
        return value.trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
