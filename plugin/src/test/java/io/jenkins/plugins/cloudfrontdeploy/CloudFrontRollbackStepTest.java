package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Label;
import hudson.model.Result;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * {@code cloudfrontRollback} in a sandboxed Pipeline on a real agent: back over SSH to the release the live one
 * replaced (credentials from the store), the difference invalidated in the fake CloudFront, the summary returned to
 * the script, the reports archived and the page added, no secret in the log or the build's files; {@code to:} names
 * a release, a missing one is refused naming those there, and a finished rollback run again does nothing.
 */
public class CloudFrontRollbackStepTest {
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

    @Test
    public void configRoundTrip() throws Exception {
        CloudFrontRollbackStep step = new CloudFrontRollbackStep("ssh://deploy@web1/var/www/a/production");
        step.setTo("1.0.2");
        step.setDistributionIds("E2QWRUHAPOMQZL");
        step.setSshCredentialsId("web");
        step.setWaitForCompletion(true);
        step.setLockTimeoutMinutes(2);
        step.setAliveIntervalSeconds(5);
        step.setAliveCountMax(4);
        step.setBreakLock(true);
        step.setInvalidationMode("files"); // the form's select always posts a mode
        step.setHostKeyVerification(new HostKeyVerificationStrategy.ManuallyProvidedKey("[web1]:22 ssh-ed25519 AAAA"));
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        SnippetizerTester snippetizer = new SnippetizerTester(r);
        snippetizer.assertRoundTrip(new CloudFrontRollbackStep("/var/www/a/production"),
                "cloudfrontRollback '/var/www/a/production'");
        CloudFrontRollbackStep named = new CloudFrontRollbackStep("/var/www/a/production");
        named.setTo("41");
        snippetizer.assertRoundTrip(named, "cloudfrontRollback target: '/var/www/a/production', to: '41'");
    }

    /**
     * CloudFront refuses the rollback's invalidation after production went back: the build fails with the engine's
     * line, and like a failed deploy, the run gets its page (what is live, that the same rollback finishes it) and
     * its reports archived.
     */
    @Test
    public void aRollbackWhoseInvalidationFailsGetsItsFailedPageAndReports() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution("E2QWRUHAPOMQZL")) {
            System.setProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY, cloudFront.endpoint().toString());
            var store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
            store.addCredentials(Domain.global(), new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws",
                    "AKIDEXAMPLE", "secret", null));
            String target = www.resolve("production").toString();
            WorkflowJob job = r.createProject(WorkflowJob.class, "site");
            job.setDefinition(new CpsFlowDefinition("node {\n"
                    + "  writeFile file: 'site/index.html', text: 'one'\n"
                    + "  cloudfrontDeploy(source: 'site', target: '" + target + "', release: 'r1')\n"
                    + "  writeFile file: 'site/index.html', text: 'two'\n"
                    + "  cloudfrontDeploy(source: 'site', target: '" + target + "', release: 'r2')\n"
                    + "}", true));
            r.buildAndAssertSuccess(job);
            cloudFront.denyAccess("E2QWRUHAPOMQZL");
            job.setDefinition(new CpsFlowDefinition("node {\n"
                    + "  cloudfrontRollback(target: '" + target + "', awsCredentialsId: 'aws',"
                    + " distributionIds: 'E2QWRUHAPOMQZL')\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job);
            r.assertLogContains("ERROR: [cloudfront-deploy] production is back on r1, but the invalidation failed", b);
            r.assertLogContains("Run the same rollback again to finish it", b);
            r.assertLogNotContains("\tat ", b);
            assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
            CloudFrontDeployAction page = b.getAction(CloudFrontDeployAction.class);
            assertTrue(page.getSummary().isRollback());
            assertTrue(page.getSummary().isFailed());
            assertEquals("invalidate", page.getSummary().getFailedStage());
            assertTrue(b.getArtifactManager().root().child(page.getReportArtifact()).isFile());
            String text = r.createWebClient().getPage(b, page.getUrlName() + "/").asNormalizedText();
            assertTrue(text, text.contains("The rollback failed in stage invalidate"));
            assertTrue(text, text.contains("r1"));
        }
    }

    @Test
    public void rollsBackOverSshInvalidatesAndReturnsTheSummaryWithoutLeakingSecrets() throws Exception {
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
            r.createOnlineSlave(Label.get("remote"));
            String target = ssh.url("tester", www.resolve("production").toString()).replace("tester@", "");
            String connection = "target: '" + target + "', sshCredentialsId: 'web', awsCredentialsId: 'aws',"
                    + " distributionIds: 'E2QWRUHAPOMQZL', waitForCompletion: true,"
                    + " hostKeyVerification: manuallyProvidedKey('" + ssh.knownHostsLine() + "')";
            WorkflowJob job = r.createProject(WorkflowJob.class, "site");
            job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                    + "  writeFile file: 'site/index.html', text: 'one'\n"
                    + "  writeFile file: 'site/about.html', text: 'about'\n"
                    + "  cloudfrontDeploy(source: 'site', release: 'r1', " + connection + ")\n"
                    + "  writeFile file: 'site/index.html', text: 'two'\n"
                    + "  cloudfrontDeploy(source: 'site', release: 'r2', " + connection + ")\n"
                    + "  def r = cloudfrontRollback(" + connection + ")\n"
                    + "  echo \"rollback: ${r.operation} to ${r.release} from ${r.previousRelease}, ${r.modified}"
                    + " modified, ${r.billedPaths} billed, ids ${r.invalidationIds.size()}\"\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertSuccess(job);

            r.assertLogContains("rollback: rollback to r1 from r2, 1 modified, 2 billed, ids 1", b);
            assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
            assertEquals("one", Files.readString(www.resolve("production/index.html")));
            // the deploy of r2 and the rollback each invalidated the page that changed
            assertEquals(List.of("/", "/", "/index.html", "/index.html"),
                    cloudFront.billedPaths("E2QWRUHAPOMQZL").stream().sorted().toList());
            assertEquals(2, cloudFront.invalidations("E2QWRUHAPOMQZL").size());
            CloudFrontDeployAction page = b.getActions(CloudFrontDeployAction.class).get(2);
            assertEquals("cloudfront-deploy/3/report.json", page.getReportArtifact());
            String report = new String(b.getArtifactManager().root().child(page.getReportArtifact()).open()
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(report, report.contains("\"rollback\""));
            assertTrue(b.getArtifactManager().root().child(page.getChangesArtifact()).isFile());
            assertTrue(page.getSummary().isRollback());
            assertEquals("cloudfront-rollback-3", page.getUrlName());
            String text = r.createWebClient().getPage(b, "cloudfront-rollback-3/").asNormalizedText();
            assertTrue(text, text.contains("CloudFront Rollback to r1"));
            assertTrue(text, text.contains("Rolled back to release r1 from r2"));
            assertTrue(text, text.contains("index.html"));
            String buildPage = r.createWebClient().getPage(b).asNormalizedText();
            assertTrue(buildPage, buildPage.contains("(rolled back from r2)"));

            r.assertLogNotContains(passphrase, b);
            r.assertLogNotContains(awsSecret, b);
            try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertTrue(f + " holds a secret", !content.contains(passphrase) && !content.contains(awsSecret));
                }
            }
        }
    }

    @Test
    public void toNamesTheReleaseAMissingOneIsRefusedAndAFinishedRollbackRunAgainDoesNothing() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        String target = www.resolve("production").toString();
        r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "named");
        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  for (n in ['r1', 'r2', 'r3']) {\n"
                + "    writeFile file: 'site/index.html', text: n\n"
                + "    cloudfrontDeploy source: 'site', target: '" + target + "', release: n\n"
                + "  }\n"
                + "  def back = cloudfrontRollback target: '" + target + "', to: 'r1'\n"
                + "  echo \"back to ${back.release} from ${back.previousRelease}\"\n"
                + "  def again = cloudfrontRollback target: '" + target + "'\n"
                + "  echo \"again: ${again.release}, ${again.modified} modified\"\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertSuccess(job);
        r.assertLogContains("back to r1 from r3", b);
        r.assertLogContains("nothing to do", b);
        r.assertLogContains("again: r1", b);
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());

        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  cloudfrontRollback target: '" + target + "', to: 'r9'\n"
                + "}", true));
        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("release r9 cannot be rolled back to", refused);
        r.assertLogContains("releases there: ", refused);
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());

        // the keepalive options reach the engine: a bad one is refused in the step's words
        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  cloudfrontRollback target: '" + target + "', to: 'r2', aliveCountMax: 0\n"
                + "}", true));
        WorkflowRun badKeepalive = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("aliveCountMax: must be at least 1, not 0", badKeepalive);
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
    }
}
