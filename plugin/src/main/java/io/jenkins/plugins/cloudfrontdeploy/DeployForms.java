package io.jenkins.plugins.cloudfrontdeploy;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.cloudfrontdeploy.engine.ConnectionCheck;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployParameters;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.springframework.security.core.Authentication;

/**
 * The form methods of the step's and the build step's descriptors: checks delegate to the engine's own validation,
 * credential lists follow the credentials plugin's consumer guide (docs/consumer.adoc), and nothing is revealed or
 * connected to without the permission to configure the job.
 */
@Restricted(NoExternalUse.class)
public final class DeployForms {
    /** What a credentials domain must cover for AWS credentials: CloudFront's API endpoint. */
    static final List<DomainRequirement> CLOUDFRONT_REQUIREMENTS =
            List.copyOf(URIRequirementBuilder.fromUri("https://cloudfront.amazonaws.com").build());

    private DeployForms() {}

    private static boolean mayConfigure(@CheckForNull Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /** A value with a variable in it is only known at build time. */
    private static boolean hasVariable(String value) {
        return value.contains("${");
    }

    static FormValidation checkTarget(@CheckForNull Item item, String value) {
        if (!mayConfigure(item)) {
            return FormValidation.ok();
        }
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.error("Give the production link: ssh://user@host/var/www/site/production");
        }
        if (hasVariable(value)) {
            return FormValidation.ok();
        }
        try {
            DeployParameters.targets(value, null);
            return FormValidation.ok();
        } catch (DeployException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkRelease(@CheckForNull Item item, String value) {
        return checkWithEngine(item, value, ReleaseName::require);
    }

    /** The edge check's base URL, as the deploy will read it (an absolute http or https URL). */
    static FormValidation checkVerifyUrl(@CheckForNull Item item, String value) {
        return checkWithEngine(item, value, v -> EdgeOptions.parseBase(v, Vocabulary.FORM));
    }

    /** The edge check's timeout, as the deploy will read it ({@code 2m}, {@code 90s}). */
    static FormValidation checkVerifyTimeout(@CheckForNull Item item, String value) {
        return checkWithEngine(item, value,
                v -> EdgeOptions.parseDuration(v, Vocabulary.Setting.VERIFY_TIMEOUT, Vocabulary.FORM));
    }

    /** A blank value or one with a variable passes; otherwise the engine's own refusal, if any, is the error. */
    private static FormValidation checkWithEngine(@CheckForNull Item item, String value,
            Consumer<String> parse) {
        if (!mayConfigure(item) || Util.fixEmptyAndTrim(value) == null || hasVariable(value)) {
            return FormValidation.ok();
        }
        try {
            parse.accept(value.trim());
            return FormValidation.ok();
        } catch (DeployException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation checkDistributionIds(@CheckForNull Item item, String value) {
        if (!mayConfigure(item) || hasVariable(Util.fixNull(value))) {
            return FormValidation.ok();
        }
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok(Messages.DeployForms_NoDistribution());
        }
        try {
            DeployParameters.distributions(value);
            return FormValidation.ok();
        } catch (DeployException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static ListBoxModel invalidationModes() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.DeployForms_ModeAuto(), "auto");
        m.add(Messages.DeployForms_ModeFiles(), "files");
        m.add(Messages.DeployForms_ModeAll(), "all");
        return m;
    }

    /** The SSH credentials for the first target's server (several targets: a deploy checks each). */
    static ListBoxModel sshCredentials(@CheckForNull Item item, String current, String target) {
        return credentials(item, current, StandardUsernameCredentials.class, sshRequirements(firstTarget(target)));
    }

    static ListBoxModel awsCredentials(@CheckForNull Item item, String current) {
        return credentials(item, current, AmazonWebServicesCredentials.class, CLOUDFRONT_REQUIREMENTS);
    }

    private static ListBoxModel credentials(@CheckForNull Item item, String current,
            Class<? extends com.cloudbees.plugins.credentials.common.StandardCredentials> type,
            List<DomainRequirement> requirements) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authentication(item), item, type, requirements, CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    /**
     * What a credentials domain must cover for SSH credentials used on this server: scheme {@code ssh}, its host and
     * port, and the link's path (as git and ssh-agent match SSH credentials). None for a local target.
     */
    static List<DomainRequirement> sshRequirements(@CheckForNull SshTarget target) {
        if (target == null || target.isLocal()) {
            return List.of();
        }
        return URIRequirementBuilder.create()
                .withScheme("ssh")
                .withHostnamePort(target.host(), target.port())
                .withPath(target.path())
                .build();
    }

    /** The first target of a form's text, or {@code null} while it holds a variable or is not valid yet. */
    @CheckForNull
    private static SshTarget firstTarget(@CheckForNull String text) {
        if (Util.fixEmptyAndTrim(text) == null || hasVariable(text)) {
            return null;
        }
        try {
            return DeployParameters.targets(text, null).get(0);
        } catch (DeployException e) {
            return null;
        }
    }

    private static Authentication authentication(@CheckForNull Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }

    /**
     * Connects from the controller as a deploy would, with the host-key strategy chosen in the form, and says where
     * each link points. Needs the permission to configure the job: it uses its credentials and opens connections.
     * Whatever would read the controller's own file system (a local target, a known-hosts file named in the form)
     * needs Overall/Administer: the deploy reads those on the agent, the test would read them on the controller.
     */
    static FormValidation testConnection(@CheckForNull Item item, String target, String credentialsId,
            @CheckForNull HostKeyVerificationStrategy strategy) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
        HostKeyVerificationStrategy hostKey =
                strategy != null ? strategy : new HostKeyVerificationStrategy.KnownHostsFile();
        boolean administrator = Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        Path scratch = null;
        try {
            List<SshTarget> targets = DeployParameters.targets(target, null, Vocabulary.FORM);
            if (!administrator) {
                for (SshTarget t : targets) {
                    if (t.isLocal()) {
                        return FormValidation.error(Messages.DeployForms_LocalTargetNeedsAdministrator(t.path()));
                    }
                }
                if (hostKey.knownHostsFile() != null) {
                    return FormValidation.error(
                            Messages.DeployForms_KnownHostsFileNeedsAdministrator(hostKey.knownHostsFile()));
                }
            }
            SshSettings.Builder ssh = SshSettings.builder().vocabulary(Vocabulary.FORM)
                    .hostKeyVerification(hostKey.mode());
            String user = null;
            if (Util.fixEmptyAndTrim(credentialsId) != null) {
                StandardUsernameCredentials c = null;
                for (SshTarget t : targets) {
                    c = CredentialsMatchers.firstOrNull(
                            CredentialsProvider.lookupCredentialsInItem(StandardUsernameCredentials.class, item,
                                    authentication(item), sshRequirements(t)),
                            CredentialsMatchers.withId(credentialsId));
                    if (c == null) {
                        return FormValidation.error(Messages.DeployForms_CredentialsNotFound(credentialsId,
                                t.isLocal() ? t.path() : t.hostAndPort()));
                    }
                }
                user = c.getUsername();
                if (c instanceof SSHUserPrivateKey k) {
                    ssh.identityText(String.join("\n", k.getPrivateKeys()).toCharArray());
                    Secret passphrase = k.getPassphrase(); // once: @CheckForNull, so two calls need not agree
                    if (passphrase != null) {
                        ssh.passphrase(passphrase.getPlainText().toCharArray());
                    }
                } else if (c instanceof StandardUsernamePasswordCredentials up) {
                    ssh.password(up.getPassword().getPlainText().toCharArray());
                }
            }
            scratch = privateTemporaryFolder();
            if (hostKey.approvedHostKeys() != null) { // refusals then name the job's setting, not a temporary file
                ssh.approvedHostKeysFile(knownHostsForTest(hostKey, scratch));
            } else {
                ssh.knownHostsFile(knownHostsForTest(hostKey, scratch));
            }
            targets = DeployParameters.targets(target, user, Vocabulary.FORM);
            StringBuilder out = new StringBuilder();
            for (SshTarget t : targets) {
                out.append(out.length() == 0 ? "" : "; ").append(ConnectionCheck.check(t, ssh.build()));
            }
            return hostKey.mode() == HostKeyVerification.OFF
                    ? FormValidation.warning(Messages.DeployForms_ConnectedWithoutVerification(out))
                    : FormValidation.ok(out.toString());
        } catch (DeployException | IOException e) {
            return FormValidation.error(e.getMessage());
        } finally {
            if (scratch != null) {
                try (Stream<Path> files = Files.walk(scratch)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    // a leftover private temporary folder: nothing to report to the form
                }
            }
        }
    }

    /** Readable by this user only where the file system has POSIX permissions (a Windows user's temp is private). */
    private static Path privateTemporaryFolder() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory("cloudfront-deploy",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("cloudfront-deploy");
    }

    /**
     * The known-hosts file the test reads: the keys given in the form, written to a private file; a copy of the file
     * for trust on first use, so that the test records nothing on the controller; otherwise the file itself (null:
     * the controller's {@code ~/.ssh/known_hosts}).
     */
    @CheckForNull
    private static Path knownHostsForTest(HostKeyVerificationStrategy hostKey, Path scratch) throws IOException {
        Path file = scratch.resolve("known_hosts");
        if (hostKey.approvedHostKeys() != null) {
            Files.writeString(file, hostKey.approvedHostKeys() + "\n");
            return file;
        }
        Path given = hostKey.knownHostsFile() != null ? Path.of(hostKey.knownHostsFile()) : null;
        if (hostKey.mode() != HostKeyVerification.ACCEPT_NEW) {
            return given;
        }
        Path original = given != null ? given : SshSettings.builder().build().knownHostsFile();
        if (Files.isRegularFile(original)) {
            Files.copy(original, file);
        }
        return file;
    }
}
