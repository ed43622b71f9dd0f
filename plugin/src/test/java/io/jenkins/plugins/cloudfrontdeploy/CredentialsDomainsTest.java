package io.jenkins.plugins.cloudfrontdeploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.domains.HostnameSpecification;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.cloudfrontdeploy.HostKeyVerificationStrategy.ManuallyProvidedKey;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Credentials domains: the lists offer, and a deploy or a connection test uses, only credentials whose domain covers
 * the web server (SSH) or CloudFront's endpoint (AWS).
 */
public class CredentialsDomainsTest {
    private static final String PASSWORD = "a-long-ssh-password-3";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private CredentialsStore store;

    @Before
    public void domains() throws Exception {
        store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
        Domain local = new Domain("local", null, List.of(new HostnameSpecification("127.0.0.1", null)));
        Domain other = new Domain("other", null, List.of(new HostnameSpecification("web2.example.com", null)));
        Domain aws = new Domain("aws", null, List.of(new HostnameSpecification("*.amazonaws.com", null)));
        store.addDomain(local, new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "local-login", null,
                "tester", PASSWORD));
        store.addDomain(other, new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "other-login", null,
                "tester", PASSWORD), new AWSCredentialsImpl(CredentialsScope.GLOBAL, "other-aws", "AKIDOTHER",
                "secret", null));
        store.addDomain(aws, new AWSCredentialsImpl(CredentialsScope.GLOBAL, "cloudfront-aws", "AKIDCF", "secret",
                null));
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                "anywhere-login", null, "tester", PASSWORD));
    }

    @Test
    public void theListsOfferTheCredentialsOfTheFirstTargetsDomain() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        assertEquals(Set.of("", "local-login", "anywhere-login"),
                ids(DeployForms.sshCredentials(p, "", "ssh://tester@127.0.0.1:2222/var/www/a/production\n"
                        + "ssh://tester@web2.example.com/var/www/a/production")));
        assertEquals(Set.of("", "other-login", "anywhere-login"),
                ids(DeployForms.sshCredentials(p, "", "ssh://web2.example.com/var/www/a/production")));
        assertEquals("without a usable target, every domain", Set.of("", "local-login", "other-login",
                "anywhere-login"), ids(DeployForms.sshCredentials(p, "", "${TARGET}")));
        assertEquals(Set.of("", "cloudfront-aws"), ids(DeployForms.awsCredentials(p, "")));
    }

    @Test
    public void aDeployUsesOnlyCredentialsOfTheServersDomain() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        r.createOnlineSlave(Label.get("remote"));
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().password(PASSWORD).start()) {
            String target = ssh.url("tester", www.resolve("production").toString());
            WorkflowJob job = r.createProject(WorkflowJob.class, "domains");
            job.setDefinition(deploy(target, "other-login", ssh));
            WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job);
            r.assertLogContains("the credentials 'other-login' are not for 127.0.0.1", refused);
            assertEquals(0, ssh.execCount());

            job.setDefinition(deploy(target, "local-login", ssh));
            WorkflowRun deployed = r.buildAndAssertSuccess(job);
            assertEquals(String.valueOf(deployed.getNumber()),
                    Files.readSymbolicLink(www.resolve("production")).toString());
        }
    }

    @Test
    public void aConnectionTestUsesOnlyCredentialsOfTheServersDomain() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().password(PASSWORD).start()) {
            String target = ssh.url("tester", tmp.getRoot() + "/production");
            FormValidation refused = DeployForms.testConnection(p, target, "other-login",
                    new ManuallyProvidedKey(ssh.knownHostsLine()));
            assertEquals(FormValidation.Kind.ERROR, refused.kind);
            assertThat(refused.getMessage(), containsString("other-login"));
            FormValidation ok = DeployForms.testConnection(p, target, "local-login",
                    new ManuallyProvidedKey(ssh.knownHostsLine()));
            assertEquals(ok.getMessage(), FormValidation.Kind.OK, ok.kind);
        }
    }

    private static CpsFlowDefinition deploy(String target, String credentialsId, EmbeddedSshServer ssh)
            throws Exception {
        return new CpsFlowDefinition("node('remote') {\n"
                + "  writeFile file: 'site/index.html', text: 'x'\n"
                + "  cloudfrontDeploy source: 'site', release: env.BUILD_NUMBER, target: '" + target
                + "', sshCredentialsId: '" + credentialsId
                + "', hostKeyVerification: manuallyProvidedKey('" + ssh.knownHostsLine() + "')\n"
                + "}", true);
    }

    private static Set<String> ids(ListBoxModel model) {
        Set<String> ids = new TreeSet<>();
        model.forEach(o -> ids.add(o.value));
        return ids;
    }
}
