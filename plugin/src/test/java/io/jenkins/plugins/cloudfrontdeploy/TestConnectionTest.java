package io.jenkins.plugins.cloudfrontdeploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import io.jenkins.plugins.cloudfrontdeploy.HostKeyVerificationStrategy.AcceptFirstConnection;
import io.jenkins.plugins.cloudfrontdeploy.HostKeyVerificationStrategy.KnownHostsFile;
import io.jenkins.plugins.cloudfrontdeploy.HostKeyVerificationStrategy.ManuallyProvidedKey;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jenkins.model.Jenkins;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlPage;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.springframework.security.access.AccessDeniedException;

/**
 * "Test connection" runs on the controller: it reads nothing of the controller's file system for a user who may only
 * configure the job, and it checks the host key the way the form says.
 */
public class TestConnectionTest {
    private static final String PASSWORD = "a-long-ssh-password-1";

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FreeStyleProject p;

    @Before
    public void usersAndJob() throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("configurer")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        p = r.createFreeStyleProject("site");
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "web", null, "tester", PASSWORD));
    }

    @Test
    public void aLocalTargetIsTestedForAnAdministratorOnly() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Files.createSymbolicLink(www.resolve("production"), Path.of("release-7f3a9c"));
        String target = www.resolve("production").toString();

        FormValidation refused = as("configurer", () -> DeployForms.testConnection(p, target, null, null));
        assertEquals(FormValidation.Kind.ERROR, refused.kind);
        assertThat(refused.getMessage(), containsString(target));
        assertThat(refused.getMessage(), containsString("Overall/Administer"));
        assertThat("nothing was read on the controller", refused.getMessage(), not(containsString("release-7f3a9c")));

        FormValidation checked = as("admin", () -> DeployForms.testConnection(p, target, null, null));
        assertEquals(checked.getMessage(), FormValidation.Kind.OK, checked.kind);
        assertThat(checked.getMessage(), containsString("points at release-7f3a9c"));

        assertThrows(AccessDeniedException.class, () -> as("reader", () -> DeployForms.testConnection(p, target,
                null, null)));
    }

    @Test
    public void aLocalTargetAmongRemoteOnesIsRefusedBeforeAnyConnection() throws Exception {
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().password(PASSWORD).start()) {
            String targets = ssh.url("tester", "/var/www/a/production") + "\n" + tmp.getRoot() + "/production";
            FormValidation refused = as("configurer", () -> DeployForms.testConnection(p, targets, "web",
                    new ManuallyProvidedKey(ssh.knownHostsLine())));
            assertEquals(FormValidation.Kind.ERROR, refused.kind);
            assertThat(refused.getMessage(), containsString("Overall/Administer"));
            assertEquals(0, ssh.execCount());
        }
    }

    @Test
    public void manuallyProvidedKeysAreTheOnesTrusted() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().password(PASSWORD).start();
                EmbeddedSshServer other = EmbeddedSshServer.builder().start()) {
            String target = ssh.url("tester", www.resolve("production").toString());
            FormValidation ok = as("configurer", () -> DeployForms.testConnection(p, target, "web",
                    new ManuallyProvidedKey(ssh.knownHostsLine())));
            assertEquals(ok.getMessage(), FormValidation.Kind.OK, ok.kind);
            assertThat(ok.getMessage(), containsString("does not exist yet (first deploy)"));

            String otherKey = "[127.0.0.1]:" + ssh.port() + " " + PublicKeyEntry.toString(other.hostKey());
            FormValidation refused = as("configurer", () -> DeployForms.testConnection(p, target, "web",
                    new ManuallyProvidedKey(otherKey)));
            assertEquals(FormValidation.Kind.ERROR, refused.kind);
            assertThat(refused.getMessage(), containsString(fingerprint(ssh)));

            FormValidation unverified = as("configurer", () -> DeployForms.testConnection(p, target, "web",
                    new HostKeyVerificationStrategy.NoVerification()));
            assertEquals(FormValidation.Kind.WARNING, unverified.kind);
            assertThat(unverified.getMessage(), containsString("the host key was not verified"));
        }
    }

    @Test
    public void aKnownHostsFileIsReadOnTheControllerForAnAdministratorOnly() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Path knownHosts = tmp.newFile("known_hosts").toPath();
        Path empty = tmp.newFile("empty_known_hosts").toPath();
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().password(PASSWORD).start()) {
            Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
            String target = ssh.url("tester", www.resolve("production").toString());
            KnownHostsFile withKey = new KnownHostsFile();
            withKey.setPath(knownHosts.toString());
            KnownHostsFile withoutKey = new KnownHostsFile();
            withoutKey.setPath(empty.toString());

            FormValidation refused = as("configurer", () -> DeployForms.testConnection(p, target, "web", withKey));
            assertEquals(FormValidation.Kind.ERROR, refused.kind);
            assertThat(refused.getMessage(), containsString(knownHosts.toString()));
            assertThat(refused.getMessage(), containsString("Overall/Administer"));

            FormValidation ok = as("admin", () -> DeployForms.testConnection(p, target, "web", withKey));
            assertEquals(ok.getMessage(), FormValidation.Kind.OK, ok.kind);
            FormValidation unknown = as("admin", () -> DeployForms.testConnection(p, target, "web", withoutKey));
            assertEquals(FormValidation.Kind.ERROR, unknown.kind);
            assertThat(unknown.getMessage(), containsString(fingerprint(ssh)));
        }
    }

    @Test
    public void acceptingTheFirstConnectionRecordsNothingOnTheController() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Path knownHosts = tmp.newFile("known_hosts").toPath();
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().password(PASSWORD).start()) {
            AcceptFirstConnection strategy = new AcceptFirstConnection();
            strategy.setPath(knownHosts.toString());
            FormValidation ok = as("admin", () -> DeployForms.testConnection(p,
                    ssh.url("tester", www.resolve("production").toString()), "web", strategy));
            assertEquals(ok.getMessage(), FormValidation.Kind.OK, ok.kind);
            assertEquals("", Files.readString(knownHosts));
        }
    }

    /** The button in the form posts the target, the credentials and the chosen strategy's fields. */
    @Test
    public void theButtonTestsWithTheStrategyChosenInTheForm() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().password(PASSWORD).start()) {
            CloudFrontDeployBuilder builder = new CloudFrontDeployBuilder("site",
                    ssh.url("tester", www.resolve("production").toString()));
            builder.setSshCredentialsId("web");
            builder.setHostKeyVerification(new ManuallyProvidedKey(ssh.knownHostsLine()));
            p.getBuildersList().add(builder);
            JenkinsRule.WebClient wc = r.createWebClient().login("configurer");
            HtmlPage page = wc.getPage(p, "configure");
            HtmlButton button = page.getDocumentElement().getElementsByTagName("button").stream()
                    .filter(b -> b.getTextContent().trim().equals("Test connection"))
                    .map(HtmlButton.class::cast)
                    .findFirst()
                    .orElseThrow();
            button.click();
            wc.waitForBackgroundJavaScript(20_000);
            String status = button.getParentNode().asNormalizedText();
            assertThat(status, containsString("does not exist yet (first deploy)"));
        }
    }

    private static String fingerprint(EmbeddedSshServer ssh) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, ssh.hostKey());
    }

    private static <T> T as(String user, Callable<T> call) throws Exception {
        try (ACLContext ignored = ACL.as2(User.getById(user, true).impersonate2())) {
            return call.call();
        }
    }
}
