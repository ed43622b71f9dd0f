package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Item;
import hudson.model.Label;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * "Roll back to this release" on a deploy's report page: shown to a user who may build the job, whose POST (with the
 * crumb) rolls production back on the node the deploy ran on, with the deploy's credentials, logged under the user's
 * name on a page of its own; refused (403) without Job/Build or without the crumb, and explained when the node is gone.
 */
public class RequestedRollbackTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @After
    public void clearEndpoint() {
        System.clearProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY);
    }

    private void users() {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("alice")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
    }

    /** Two builds on the agent, deploying releases "1" and "2" (the build numbers) with the given options. */
    private WorkflowJob deployTwice(DumbSlave agent, String options) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "site");
        job.setDefinition(new CpsFlowDefinition("node('" + agent.getNodeName() + "') {\n"
                + "  writeFile file: 'site/index.html', text: \"build ${env.BUILD_NUMBER}\"\n"
                + "  writeFile file: 'site/about.html', text: 'about'\n"
                + "  cloudfrontDeploy(source: 'site', release: env.BUILD_NUMBER, " + options + ")\n"
                + "}", true));
        r.buildAndAssertSuccess(job);
        r.buildAndAssertSuccess(job);
        return job;
    }

    private WebRequest post(WorkflowRun b, String path) throws Exception {
        return new WebRequest(new URL(r.getURL(), b.getUrl() + path), HttpMethod.POST);
    }

    @Test
    public void aUserWhoMayBuildTheJobRollsBackWithTheDeploysCredentialsAndTheRollbackIsLoggedUnderTheirName()
            throws Exception {
        String passphrase = "correct horse battery staple";
        String awsSecret = "aws-secret-that-must-not-leak";
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", passphrase, false);
        Path www = tmp.newFolder("www").toPath();
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start();
                FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution("E2QWRUHAPOMQZL")) {
            System.setProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY, cloudFront.endpoint().toString());
            var store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
            store.addCredentials(Domain.global(), new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "web", "tester",
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(Files.readString(key)), passphrase, null));
            store.addCredentials(Domain.global(), new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws",
                    "AKIDEXAMPLE", awsSecret, null));
            DumbSlave agent = r.createOnlineSlave(Label.get("remote"));
            String target = ssh.url("tester", www.resolve("production").toString()).replace("tester@", "");
            WorkflowJob job = deployTwice(agent, "target: '" + target + "', sshCredentialsId: 'web',"
                    + " awsCredentialsId: 'aws', distributionIds: 'E2QWRUHAPOMQZL',"
                    + " hostKeyVerification: manuallyProvidedKey('" + ssh.knownHostsLine() + "')");
            assertEquals("2", Files.readSymbolicLink(www.resolve("production")).toString());
            WorkflowRun first = job.getBuildByNumber(1);
            CloudFrontDeployAction action = first.getAction(CloudFrontDeployAction.class);
            users();

            JenkinsRule.WebClient wc = r.createWebClient().withJavaScriptEnabled(false).login("alice");
            HtmlPage page = wc.getPage(first, action.getUrlName() + "/");
            DomElement button = page.querySelector("a.confirmation-link");
            assertNotNull(page.asNormalizedText(), button);
            assertEquals("Roll back to this release", button.getTextContent().trim());
            assertEquals("true", button.getAttribute("data-post"));
            String url = button.getAttribute("data-url");
            assertEquals("/jenkins/" + first.getUrl() + "cloudfront-deploy-1/rollback", url);

            WebRequest rollback = post(first, "cloudfront-deploy-1/rollback");
            wc.addCrumb(rollback);
            Page started = wc.getPage(rollback);
            assertTrue(started.getUrl().toString(), started.getUrl().toString().endsWith(
                    "/cloudfront-deploy-1/rollback-1/"));
            RequestedRollback requested = action.getRollbacks().get(0);
            requested.await();

            assertEquals(RequestedRollback.ROLLED_BACK, requested.getState());
            assertNull(requested.getError());
            assertEquals("alice", requested.getUserId());
            assertEquals("1", Files.readSymbolicLink(www.resolve("production")).toString());
            assertEquals("build 1", Files.readString(www.resolve("production/index.html")));
            // the deploy of 2 and the rollback to 1 each invalidated the page that changed
            assertEquals(List.of("/", "/", "/index.html", "/index.html"),
                    cloudFront.billedPaths("E2QWRUHAPOMQZL").stream().sorted().toList());
            String log = Files.readString(requested.folder().toPath().resolve("log"));
            assertTrue(log, log.lines().findFirst().orElseThrow().contains(
                    "rollback to release 1 asked for by alice (alice) on the report page of site #1; it runs on agent '"
                            + agent.getNodeName() + "'"));
            assertTrue(log, log.contains("rolled back to release 1 (from 2)"));

            String recordPage = wc.getPage(first, "cloudfront-deploy-1/rollback-1/").asNormalizedText();
            assertTrue(recordPage, recordPage.contains("Asked for by alice"));
            assertTrue(recordPage, recordPage.contains("rolled back"));
            assertTrue(recordPage, recordPage.contains("asked for by alice (alice)"));
            String report = wc.goTo(first.getUrl() + "cloudfront-deploy-1/rollback-1/report", "application/json")
                    .getWebResponse().getContentAsString();
            assertTrue(report, report.contains("\"rollback\""));
            String reportPage = wc.getPage(first, "cloudfront-deploy-1/").asNormalizedText();
            assertTrue(reportPage, reportPage.contains("#1 to 1"));

            // the record survives a reload of the build
            first.reload();
            RequestedRollback reloaded = first.getAction(CloudFrontDeployAction.class).getRollbacks().get(0);
            assertEquals(RequestedRollback.ROLLED_BACK, reloaded.getState());
            assertEquals("1", reloaded.getSummary().getRelease());

            for (WorkflowRun b : List.of(first, job.getBuildByNumber(2))) {
                try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                        assertTrue(f + " holds a secret", !text.contains(passphrase) && !text.contains(awsSecret));
                    }
                }
            }

            // the agent the deploy ran on is gone: the rollback is not started, and the page says what to do
            r.jenkins.removeNode(agent);
            WebRequest again = post(job.getBuildByNumber(2), "cloudfront-deploy-1/rollback");
            wc.addCrumb(again);
            wc.setThrowExceptionOnFailingStatusCode(false);
            Page refusedPage = wc.getPage(again);
            assertEquals(400, refusedPage.getWebResponse().getStatusCode());
            String refused = refusedPage.getWebResponse().getContentAsString();
            assertTrue(refused, refused.contains("is not online"));
            assertTrue(refused, refused.contains("cloudfrontRollback(target: "));
            assertEquals(List.of(), job.getBuildByNumber(2).getAction(CloudFrontDeployAction.class).getRollbacks());
        }
    }

    @Test
    public void withoutJobBuildThereIsNoButtonAndThePostIsRefused() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        DumbSlave agent = r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = deployTwice(agent, "target: '" + www.resolve("production") + "'");
        WorkflowRun first = job.getBuildByNumber(1);
        CloudFrontDeployAction action = first.getAction(CloudFrontDeployAction.class);
        users();

        JenkinsRule.WebClient reader = r.createWebClient().withJavaScriptEnabled(false).login("reader");
        HtmlPage page = reader.getPage(first, action.getUrlName() + "/");
        assertTrue(page.asNormalizedText(), page.asNormalizedText().contains("Release 1 in place of"));
        assertNull(page.querySelector("a.confirmation-link"));
        assertFalse(page.asNormalizedText().contains("Roll back to this release"));
        WebRequest rollback = post(first, "cloudfront-deploy-1/rollback");
        reader.addCrumb(rollback);
        assertEquals(403, status(reader, rollback));

        JenkinsRule.WebClient alice = r.createWebClient().withJavaScriptEnabled(false).login("alice");
        assertEquals("a POST without the crumb", 403, status(alice, post(first, "cloudfront-deploy-1/rollback")));
        assertEquals("a GET", 405, status(alice, new WebRequest(new URL(r.getURL(), first.getUrl()
                + "cloudfront-deploy-1/rollback"))));

        assertEquals(List.of(), action.getRollbacks());
        assertEquals("2", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    private static int status(JenkinsRule.WebClient wc, WebRequest request) throws Exception {
        try {
            return wc.getPage(request).getWebResponse().getStatusCode();
        } catch (FailingHttpStatusCodeException e) {
            return e.getStatusCode();
        }
    }
}
