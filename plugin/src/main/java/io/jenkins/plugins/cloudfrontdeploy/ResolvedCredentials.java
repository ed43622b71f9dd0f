package io.jenkins.plugins.cloudfrontdeploy;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The secrets of a deploy, looked up on the controller by credentials id (tracked against the build) and kept as
 * {@link Secret} on their way to the agent. Never stored in the step, the build step or the action.
 */
record ResolvedCredentials(
        @CheckForNull String sshUser,
        @CheckForNull Secret privateKey,
        @CheckForNull Secret passphrase,
        @CheckForNull Secret password,
        @CheckForNull String awsAccessKeyId,
        @CheckForNull Secret awsSecretAccessKey,
        @CheckForNull Secret awsSessionToken) {

    static ResolvedCredentials resolve(@CheckForNull String sshCredentialsId, @CheckForNull String awsCredentialsId,
            @NonNull Run<?, ?> run) throws AbortException {
        String user = null;
        Secret key = null;
        Secret passphrase = null;
        Secret password = null;
        if (sshCredentialsId != null) {
            StandardCredentials c = find(sshCredentialsId, run, Messages::ResolvedCredentials_NoSshCredentials);
            if (c instanceof SSHUserPrivateKey k) {
                key = Secret.fromString(String.join("\n", k.getPrivateKeys()));
                passphrase = k.getPassphrase();
            } else if (c instanceof StandardUsernamePasswordCredentials up) {
                password = up.getPassword();
            } else {
                throw new AbortException(Messages.ResolvedCredentials_NotSshCredentials(sshCredentialsId, kind(c)));
            }
            user = ((StandardUsernameCredentials) c).getUsername();
        }
        String keyId = null;
        Secret secret = null;
        Secret session = null;
        if (awsCredentialsId != null) {
            StandardCredentials c = find(awsCredentialsId, run, Messages::ResolvedCredentials_NoAwsCredentials);
            if (!(c instanceof AmazonWebServicesCredentials a)) {
                throw new AbortException(Messages.ResolvedCredentials_NotAwsCredentials(awsCredentialsId, kind(c)));
            }
            if (a instanceof AWSCredentialsImpl impl && impl.requiresToken()) {
                throw new AbortException(Messages.ResolvedCredentials_NeedsMfaToken(awsCredentialsId));
            }
            AwsCredentials resolved;
            try {
                resolved = a.resolveCredentials(); // an IAM role is assumed here, on the controller
            } catch (SdkException e) {
                throw new AbortException(Messages.ResolvedCredentials_AwsFailed(awsCredentialsId, e.getMessage()));
            }
            if (resolved == null) {
                throw new AbortException(Messages.ResolvedCredentials_NoAwsKeys(awsCredentialsId));
            }
            keyId = resolved.accessKeyId();
            secret = Secret.fromString(resolved.secretAccessKey());
            if (resolved instanceof AwsSessionCredentialsIdentity s) { // any implementation that carries a token
                session = Secret.fromString(s.sessionToken());
            }
        }
        return new ResolvedCredentials(user, key, passphrase, password, keyId, secret, session);
    }

    /** Looks the id up whatever its type, so that a credential of the wrong type is named as such, not as missing. */
    private static StandardCredentials find(String id, Run<?, ?> run, Function<Object, String> missing)
            throws AbortException {
        StandardCredentials c = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run, List.of());
        if (c == null) {
            throw new AbortException(missing.apply(id));
        }
        CredentialsProvider.track(run, c); // findCredentialById does not track a plain id
        return c;
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
