package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Label;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
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
 * {@code cloudfrontDeploy} in a sandboxed Pipeline on a real agent: deployed over SSH to the embedded server with
 * credentials from the store, invalidated in the fake CloudFront, the summary returned to the script, the reports
 * archived, the page added, and no secret in the log or the build's files.
 */
public class CloudFrontDeployStepTest {
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
        CloudFrontDeployStep step = new CloudFrontDeployStep("build/site", "ssh://deploy@web1/var/www/a/production");
        step.setDistributionIds("E2QWRUHAPOMQZL");
        step.setSshCredentialsId("web");
        step.setWaitForCompletion(true);
        step.setKeepReleases(3);
        step.setInvalidationMode("auto"); // the form's select always posts a mode
        step.setHostKeyVerification(new HostKeyVerificationStrategy.ManuallyProvidedKey("[web1]:22 ssh-ed25519 AAAA"));
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        new SnippetizerTester(r).assertRoundTrip(new CloudFrontDeployStep("site", "/var/www/a/production"),
                "cloudfrontDeploy source: 'site', target: '/var/www/a/production'");
    }

    @Test
    public void deploysOverSshInvalidatesAndReturnsTheSummaryWithoutLeakingSecrets() throws Exception {
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
            WorkflowJob job = r.createProject(WorkflowJob.class, "site");
            String deploy = "cloudfrontDeploy(source: 'site', target: '" + target + "', release: \"r${n}\","
                    + " sshCredentialsId: 'web', awsCredentialsId: 'aws', distributionIds: 'E2QWRUHAPOMQZL',"
                    + " waitForCompletion: true,"
                    + " hostKeyVerification: manuallyProvidedKey('" + ssh.knownHostsLine() + "'))";
            job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                    + "  writeFile file: 'site/index.html', text: 'one'\n"
                    + "  writeFile file: 'site/about.html', text: 'about'\n"
                    + "  def n = 1\n  def first = " + deploy + "\n"
                    + "  writeFile file: 'site/index.html', text: 'two'\n"
                    + "  n = 2\n  def second = " + deploy + "\n"
                    + "  echo \"result: ${second.release} after ${second.previousRelease}, ${second.modified} modified,"
                    + " ${second.billedPaths} billed, ids ${second.invalidationIds.size()}\"\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertSuccess(job);

            r.assertLogContains("result: r2 after r1, 1 modified, 2 billed, ids 1", b);
            r.assertLogContains("[cloudfront-deploy] switch", b);
            r.assertLogContains("Completed", b);
            assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
            assertEquals(List.of("/", "/index.html"), cloudFront.billedPaths("E2QWRUHAPOMQZL").stream().sorted()
                    .toList());
            assertTrue(b.getArtifactManager().root().child("cloudfront-deploy/changes.txt").isFile());
            assertTrue(b.getArtifactManager().root().child("cloudfront-deploy/report.json").isFile());
            assertEquals(2, b.getActions(CloudFrontDeployAction.class).size());
            String page = r.createWebClient().getPage(b, "cloudfront-deploy-r2/").asNormalizedText();
            assertTrue(page, page.contains("Release r2 in place of r1"));
            assertTrue(page, page.contains("E2QWRUHAPOMQZL"));
            assertTrue(page, page.contains("index.html"));

            r.assertLogNotContains(passphrase, b);
            r.assertLogNotContains(awsSecret, b);
            try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertTrue(f + " holds a secret", !text.contains(passphrase) && !text.contains(awsSecret));
                }
            }
        }
    }

    @Test
    public void aDryRunOnTheAgentWritesNothing() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "dry");
        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  writeFile file: 'out/index.html', text: 'new'\n"
                + "  def s = cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "', dryRun: true\n"
                + "  echo \"dry ${s.dryRun}: ${s.modified} modified, ${s.changes}\"\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertSuccess(job);
        r.assertLogContains("dry true: 1 modified, [M index.html]", b);
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    @Test
    public void badInputFailsTheBuildWithTheFix() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "bad");
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'site/index.html', text: 'x'\n"
                + "  cloudfrontDeploy source: 'site', target: '/tmp/cfd-test/production', release: '../evil'\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertStatus(hudson.model.Result.FAILURE, job);
        r.assertLogContains("the release name '../evil' is not valid", b);
    }

    @Test
    public void missingOrWrongTypeCredentialsFailBeforeAnythingIsWritten() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        var store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
        store.addCredentials(Domain.global(), new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws", "AKIDEXAMPLE",
                "secret", null));
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "web", null,
                "deploy", "a-password-long-enough"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "creds");
        String[][] cases = {
            {"sshCredentialsId: 'nope'", "no credentials with the id 'nope' are available to this job"},
            {"sshCredentialsId: 'aws'", "the credentials 'aws' are \"", "which cannot log in over SSH"},
            {"awsCredentialsId: 'nope'", "no credentials with the id 'nope' are available to this job"},
            {"awsCredentialsId: 'web'", "the credentials 'web' are \"", "not AWS credentials"},
        };
        for (String[] c : cases) {
            job.setDefinition(new CpsFlowDefinition("node {\n"
                    + "  writeFile file: 'site/index.html', text: 'new'\n"
                    + "  cloudfrontDeploy source: 'site', target: '" + www.resolve("production") + "', " + c[0] + "\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertStatus(hudson.model.Result.FAILURE, job);
            for (int i = 1; i < c.length; i++) {
                r.assertLogContains(c[i], b);
            }
            r.assertLogNotContains("a-password-long-enough", b);
        }
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
        try (Stream<Path> releases = Files.list(www)) {
            assertEquals("no release folder was started", 2, releases.count()); // 1.0.0 and production
        }
    }

    @Test
    public void abortingWhileWaitingForCloudFrontStopsTheBuildWithProductionSwitched() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution("E2QWRUHAPOMQZL")
                .completeAfterPolls(Integer.MAX_VALUE)) {
            System.setProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY, cloudFront.endpoint().toString());
            var store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
            store.addCredentials(Domain.global(), new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws",
                    "AKIDEXAMPLE", "secret", null));
            r.createOnlineSlave(Label.get("remote"));
            WorkflowJob job = r.createProject(WorkflowJob.class, "abort");
            job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                    + "  writeFile file: 'out/index.html', text: 'new'\n"
                    + "  cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "',"
                    + " distributionIds: 'E2QWRUHAPOMQZL', awsCredentialsId: 'aws', waitForCompletion: true\n"
                    + "}", true));
            WorkflowRun b = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage("InProgress", b);
            b.doStop();
            r.assertBuildStatus(hudson.model.Result.ABORTED, r.waitForCompletion(b));
            assertEquals("the switch happened before the wait", "1", Files.readSymbolicLink(www.resolve("production"))
                    .toString());
            assertEquals(1, cloudFront.invalidations("E2QWRUHAPOMQZL").size());
        }
    }
}
