package io.jenkins.plugins.cloudfrontdeploy;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
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
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.util.List;
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
        if (!mayConfigure(item) || Util.fixEmptyAndTrim(value) == null || hasVariable(value)) {
            return FormValidation.ok();
        }
        try {
            ReleaseName.require(value.trim());
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

    static ListBoxModel sshCredentials(@CheckForNull Item item, String current) {
        return credentials(item, current, StandardUsernameCredentials.class);
    }

    static ListBoxModel awsCredentials(@CheckForNull Item item, String current) {
        return credentials(item, current, AmazonWebServicesCredentials.class);
    }

    private static ListBoxModel credentials(@CheckForNull Item item, String current,
            Class<? extends com.cloudbees.plugins.credentials.common.StandardCredentials> type) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authentication(item), item, type, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    private static Authentication authentication(@CheckForNull Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }

    /**
     * Connects from the controller, verifying the host key against the controller's known hosts, and says where the
     * link points. Needs the permission to configure the job: it uses its credentials and opens a connection.
     */
    static FormValidation testConnection(@CheckForNull Item item, String target, String credentialsId) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
        try {
            SshSettings.Builder ssh = SshSettings.builder();
            String user = null;
            if (Util.fixEmptyAndTrim(credentialsId) != null) {
                StandardUsernameCredentials c = CredentialsMatchers.firstOrNull(
                        CredentialsProvider.lookupCredentialsInItem(StandardUsernameCredentials.class, item,
                                authentication(item), List.of()),
                        CredentialsMatchers.withId(credentialsId));
                if (c == null) {
                    return FormValidation.error(Messages.DeployForms_CredentialsNotFound(credentialsId));
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
            List<SshTarget> targets = DeployParameters.targets(target, user);
            StringBuilder out = new StringBuilder();
            for (SshTarget t : targets) {
                out.append(out.length() == 0 ? "" : "; ").append(ConnectionCheck.check(t, ssh.build()));
            }
            return FormValidation.ok(out.toString());
        } catch (DeployException | IOException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
