package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionPoint;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * How the server's host key is trusted, as git-client's {@code SshHostKeyVerificationStrategy} offers it
 * (jenkinsci/git-client-plugin: src/main/java/org/jenkinsci/plugins/gitclient/verifier/): each strategy names the
 * engine's mode and what it needs, resolved on the agent that connects. {@code Describable}'s default
 * {@code getDescriptor()} (core 2.505) replaces the now deprecated {@code AbstractDescribableImpl}.
 *
 * <p>The ordinals put the safe default first: a form whose value is {@code null} (a new step, the Snippet Generator)
 * selects the first descriptor, and core sorts descriptors of equal ordinal by display name, which would put "Accept
 * first connection" first. Each strategy's form has its own "Test connection" button, so that the check uses the
 * strategy chosen and its own fields (a validate button can post fields, not a describable).
 */
public abstract class HostKeyVerificationStrategy implements Describable<HostKeyVerificationStrategy>, ExtensionPoint {
    /** The engine's verification mode. */
    @NonNull
    public abstract HostKeyVerification mode();

    /** A known-hosts file on the agent; {@code null}: {@code ~/.ssh/known_hosts} there. */
    @CheckForNull
    public String knownHostsFile() {
        return null;
    }

    /** known_hosts lines given in the configuration, written to a private file on the agent for the connection. */
    @CheckForNull
    public String approvedHostKeys() {
        return null;
    }

    /** A strategy that reads (or records keys in) a known-hosts file on the agent. */
    public abstract static class WithKnownHostsFile extends HostKeyVerificationStrategy {
        private String path;

        /** The file on the agent; {@code null}: {@code ~/.ssh/known_hosts} there. */
        public String getPath() {
            return path;
        }

        @DataBoundSetter
        public void setPath(String path) {
            this.path = Util.fixEmptyAndTrim(path);
        }

        @Override
        public String knownHostsFile() {
            return path;
        }
    }

    /** Checks against a known-hosts file on the agent (the default). */
    public static final class KnownHostsFile extends WithKnownHostsFile {
        @DataBoundConstructor
        public KnownHostsFile() {}

        @Override
        public HostKeyVerification mode() {
            return HostKeyVerification.STRICT;
        }

        @Extension(ordinal = 4)
        @Symbol("knownHostsFile")
        public static final class DescriptorImpl extends Descriptor<HostKeyVerificationStrategy> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.HostKeyVerificationStrategy_KnownHostsFile_DisplayName();
            }

            @POST
            public FormValidation doTestConnection(@AncestorInPath Item item, @QueryParameter String target,
                    @QueryParameter String sshCredentialsId, @QueryParameter String path) {
                KnownHostsFile strategy = new KnownHostsFile();
                strategy.setPath(path);
                return DeployForms.testConnection(item, target, sshCredentialsId, strategy);
            }
        }
    }

    /** Checks against host keys pasted into the configuration, in known_hosts format. */
    public static final class ManuallyProvidedKey extends HostKeyVerificationStrategy {
        private final String approvedHostKeys;

        @DataBoundConstructor
        public ManuallyProvidedKey(String approvedHostKeys) {
            this.approvedHostKeys = approvedHostKeys == null ? "" : approvedHostKeys.trim();
        }

        public String getApprovedHostKeys() {
            return approvedHostKeys;
        }

        @Override
        public HostKeyVerification mode() {
            return HostKeyVerification.STRICT;
        }

        @Override
        public String approvedHostKeys() {
            return approvedHostKeys;
        }

        @Extension(ordinal = 3)
        @Symbol("manuallyProvidedKey")
        public static final class DescriptorImpl extends Descriptor<HostKeyVerificationStrategy> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.HostKeyVerificationStrategy_ManuallyProvidedKey_DisplayName();
            }

            @POST
            public FormValidation doTestConnection(@AncestorInPath Item item, @QueryParameter String target,
                    @QueryParameter String sshCredentialsId, @QueryParameter String approvedHostKeys) {
                return DeployForms.testConnection(item, target, sshCredentialsId,
                        new ManuallyProvidedKey(approvedHostKeys));
            }

            public FormValidation doCheckApprovedHostKeys(@QueryParameter String approvedHostKeys) {
                return FormValidation.validateRequired(approvedHostKeys);
            }
        }
    }

    /** Trusts the key seen on the first connection and records it; a changed key is still refused. */
    public static final class AcceptFirstConnection extends WithKnownHostsFile {
        @DataBoundConstructor
        public AcceptFirstConnection() {}

        @Override
        public HostKeyVerification mode() {
            return HostKeyVerification.ACCEPT_NEW;
        }

        @Extension(ordinal = 2)
        @Symbol("acceptFirstConnection")
        public static final class DescriptorImpl extends Descriptor<HostKeyVerificationStrategy> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.HostKeyVerificationStrategy_AcceptFirstConnection_DisplayName();
            }

            @POST
            public FormValidation doTestConnection(@AncestorInPath Item item, @QueryParameter String target,
                    @QueryParameter String sshCredentialsId, @QueryParameter String path) {
                AcceptFirstConnection strategy = new AcceptFirstConnection();
                strategy.setPath(path);
                return DeployForms.testConnection(item, target, sshCredentialsId, strategy);
            }
        }
    }

    /** No verification at all: the engine warns on every connection. */
    public static final class NoVerification extends HostKeyVerificationStrategy {
        @DataBoundConstructor
        public NoVerification() {}

        @Override
        public HostKeyVerification mode() {
            return HostKeyVerification.OFF;
        }

        @Extension(ordinal = 1)
        @Symbol("noVerification")
        public static final class DescriptorImpl extends Descriptor<HostKeyVerificationStrategy> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.HostKeyVerificationStrategy_NoVerification_DisplayName();
            }

            @POST
            public FormValidation doTestConnection(@AncestorInPath Item item, @QueryParameter String target,
                    @QueryParameter String sshCredentialsId) {
                return DeployForms.testConnection(item, target, sshCredentialsId, new NoVerification());
            }
        }
    }
}
