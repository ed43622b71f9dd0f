package io.jenkins.plugins.cloudfrontdeploy;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

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
            StandardUsernameCredentials c = CredentialsProvider.findCredentialById(
                    sshCredentialsId, StandardUsernameCredentials.class, run, List.of());
            if (c == null) {
                throw new AbortException("no SSH credentials with the id '" + sshCredentialsId + "' are available to"
                        + " this job: add an \"SSH Username with private key\" or \"Username with password\""
                        + " credential with that id, or correct sshCredentialsId");
            }
            CredentialsProvider.track(run, c); // findCredentialById does not track a plain id
            user = c.getUsername();
            if (c instanceof SSHUserPrivateKey k) {
                key = Secret.fromString(String.join("\n", k.getPrivateKeys()));
                passphrase = k.getPassphrase();
            } else if (c instanceof StandardUsernamePasswordCredentials up) {
                password = up.getPassword();
            } else {
                throw new AbortException("the credentials '" + sshCredentialsId + "' are neither an SSH private key"
                        + " nor a username with password");
            }
        }
        String keyId = null;
        Secret secret = null;
        Secret session = null;
        if (awsCredentialsId != null) {
            AmazonWebServicesCredentials a = CredentialsProvider.findCredentialById(
                    awsCredentialsId, AmazonWebServicesCredentials.class, run, List.of());
            if (a == null) {
                throw new AbortException("no AWS credentials with the id '" + awsCredentialsId + "' are available to"
                        + " this job: add an \"AWS Credentials\" credential with that id, or leave awsCredentialsId"
                        + " empty to use the agent's default AWS chain");
            }
            CredentialsProvider.track(run, a);
            AwsCredentials resolved = a.resolveCredentials(); // an IAM role is assumed here, on the controller
            if (resolved == null) {
                throw new AbortException("the AWS credentials '" + awsCredentialsId + "' hold no keys: leave"
                        + " awsCredentialsId empty to use the agent's default AWS chain (e.g. its instance role)");
            }
            keyId = resolved.accessKeyId();
            secret = Secret.fromString(resolved.secretAccessKey());
            if (resolved instanceof AwsSessionCredentials s) {
                session = Secret.fromString(s.sessionToken());
            }
        }
        return new ResolvedCredentials(user, key, passphrase, password, keyId, secret, session);
    }
}
