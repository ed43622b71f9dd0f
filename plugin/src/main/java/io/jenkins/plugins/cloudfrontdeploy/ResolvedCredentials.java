package io.jenkins.plugins.cloudfrontdeploy;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployParameters;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary.Setting;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.Serializable;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The secrets of a deploy, looked up on the controller by credentials id (tracked against the build) and kept as
 * {@link Secret} on their way to the agent. Never stored in the step, the build step or the action. Credentials in a
 * domain are used only for what the domain covers: SSH credentials for every target's server, AWS credentials for
 * CloudFront.
 */
record ResolvedCredentials(
        @CheckForNull String sshUser,
        @CheckForNull Secret privateKey,
        @CheckForNull Secret passphrase,
        @CheckForNull Secret password,
        @CheckForNull String awsAccessKeyId,
        @CheckForNull Secret awsSecretAccessKey,
        @CheckForNull Secret awsSessionToken) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * @param targets the production links, as the engine reads them (blank or invalid: no domain check here)
     * @param words how the front end names its fields, for the remedies in the errors
     */
    static ResolvedCredentials resolve(@CheckForNull String sshCredentialsId, @CheckForNull String awsCredentialsId,
            @NonNull Run<?, ?> run, @CheckForNull String targets, @NonNull Vocabulary words) throws AbortException {
        String sshField = field(words, Setting.IDENTITY);
        String awsField = field(words, Setting.AWS_CREDENTIALS);
        String user = null;
        Secret key = null;
        Secret passphrase = null;
        Secret password = null;
        if (sshCredentialsId != null) {
            StandardCredentials c = find(sshCredentialsId, run, id -> Messages.ResolvedCredentials_NoSshCredentials(id, sshField));
            for (SshTarget t : remoteTargets(targets)) {
                if (!covers(sshCredentialsId, run, DeployForms.sshRequirements(t))) {
                    throw new AbortException(Messages.ResolvedCredentials_NotForServer(sshCredentialsId,
                            t.hostAndPort(), sshField));
                }
            }
            if (c instanceof SSHUserPrivateKey k) {
                key = Secret.fromString(String.join("\n", k.getPrivateKeys()));
                passphrase = k.getPassphrase();
            } else if (c instanceof StandardUsernamePasswordCredentials up) {
                password = up.getPassword();
            } else {
                throw new AbortException(Messages.ResolvedCredentials_NotSshCredentials(sshCredentialsId, kind(c), sshField));
            }
            user = ((StandardUsernameCredentials) c).getUsername();
        }
        String keyId = null;
        Secret secret = null;
        Secret session = null;
        if (awsCredentialsId != null) {
            StandardCredentials c = find(awsCredentialsId, run, id -> Messages.ResolvedCredentials_NoAwsCredentials(id, awsField));
            if (!(c instanceof AmazonWebServicesCredentials a)) {
                throw new AbortException(Messages.ResolvedCredentials_NotAwsCredentials(awsCredentialsId, kind(c), awsField));
            }
            if (!covers(awsCredentialsId, run, DeployForms.CLOUDFRONT_REQUIREMENTS)) {
                throw new AbortException(Messages.ResolvedCredentials_NotForCloudFront(awsCredentialsId, awsField));
            }
            if (a instanceof AWSCredentialsImpl impl && impl.requiresToken()) {
                throw new AbortException(Messages.ResolvedCredentials_NeedsMfaToken(awsCredentialsId, awsField));
            }
            AwsCredentials resolved;
            try {
                resolved = a.resolveCredentials(); // an IAM role is assumed here, on the controller
            } catch (SdkException e) {
                throw new AbortException(Messages.ResolvedCredentials_AwsFailed(awsCredentialsId, e.getMessage()));
            }
            if (resolved == null) {
                throw new AbortException(Messages.ResolvedCredentials_NoAwsKeys(awsCredentialsId, awsField));
            }
            keyId = resolved.accessKeyId();
            secret = Secret.fromString(resolved.secretAccessKey());
            if (resolved instanceof AwsSessionCredentialsIdentity s) { // any implementation that carries a token
                session = Secret.fromString(s.sessionToken());
            }
        }
        return new ResolvedCredentials(user, key, passphrase, password, keyId, secret, session);
    }

    /**
     * The field as a sentence names it: {@code sshCredentialsId} in a Pipeline (the vocabulary's {@code
     * sshCredentialsId:} is how it is written, which reads oddly mid-sentence), {@code "SSH credentials"} in a form.
     */
    private static String field(Vocabulary words, Setting setting) {
        String name = words.name(setting);
        return name.endsWith(":") ? name.substring(0, name.length() - 1) : name;
    }

    /** Looks the id up whatever its type, so that a credential of the wrong type is named as such, not as missing. */
    private static StandardCredentials find(String id, Run<?, ?> run, UnaryOperator<String> missing)
            throws AbortException {
        StandardCredentials c = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run, List.of());
        if (c == null) {
            throw new AbortException(missing.apply(id));
        }
        CredentialsProvider.track(run, c); // findCredentialById does not track a plain id
        return c;
    }

    /** Whether the credentials' domain covers these requirements (the global domain covers all). */
    private static boolean covers(String id, Run<?, ?> run, List<DomainRequirement> requirements) {
        return CredentialsProvider.findCredentialById(id, StandardCredentials.class, run, requirements) != null;
    }

    private static List<SshTarget> remoteTargets(@CheckForNull String targets) {
        try {
            return targets == null || targets.isBlank() ? List.of()
                    : DeployParameters.targets(targets, null).stream().filter(t -> !t.isLocal()).toList();
        } catch (DeployException e) {
            return List.of(); // the engine names the bad target, on the agent, as for a deploy without credentials
        }
    }

    /**
     * The engine's secrets, in plain text: called on the agent, inside the callable, so that only {@link Secret}s
     * cross the channel.
     */
    DeployParameters.Secrets toEngine(@CheckForNull JenkinsProxy proxy) {
        return new DeployParameters.Secrets(sshUser, chars(privateKey), chars(passphrase), chars(password),
                awsAccessKeyId, plain(awsSecretAccessKey), plain(awsSessionToken))
                .withProxy(proxy == null ? null : proxy.toEngine());
    }

    private static char[] chars(Secret s) {
        return s == null ? null : s.getPlainText().toCharArray();
    }

    private static String plain(Secret s) {
        return s == null ? null : s.getPlainText();
    }

    /** Names no secret: a record's own toString would print every {@link Secret} in plain text. */
    @Override
    public String toString() {
        return "ResolvedCredentials[sshUser=" + sshUser + ", awsAccessKeyId=" + awsAccessKeyId + "]";
    }

    /** The credential's kind as the credentials page names it, e.g. "AWS Credentials". */
    private static String kind(StandardCredentials c) {
        return c.getDescriptor().getDisplayName();
    }
}
