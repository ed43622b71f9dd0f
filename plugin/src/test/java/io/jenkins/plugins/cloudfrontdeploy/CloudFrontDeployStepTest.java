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
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jenkins.security.MasterToSlaveCallable;
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
    private static final String DELAY_BUFFER = "org.jenkinsci.plugins.workflow.log.DelayBufferedOutputStream";

    static {
        // workflow-api's DelayBufferedOutputStream writes out an agent's console buffer on a timer (1 s, growing to
        // 10 s): pushed an hour off, so that only the deploy's own flushes can bring its lines to the controller
        System.setProperty(DELAY_BUFFER + ".minRecurrencePeriod", "3600000");
        System.setProperty(DELAY_BUFFER + ".maxRecurrencePeriod", "3600000");
    }
    private static final String DIST = "E2QWRUHAPOMQZL";

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
        step.setLockTimeoutMinutes(15);
        step.setAliveIntervalSeconds(5);
        step.setAliveCountMax(4);
        step.setBreakLock(true);
        step.setAllowExternalLinks(true);
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        new SnippetizerTester(r).assertRoundTrip(new CloudFrontDeployStep("site", "/var/www/a/production"),
                "cloudfrontDeploy source: 'site', target: '/var/www/a/production'");
        CloudFrontDeployStep lock = new CloudFrontDeployStep("site", "/var/www/a/production");
        lock.setLockTimeoutMinutes(0);
        lock.setBreakLock(true);
        new SnippetizerTester(r).assertRoundTrip(lock, "cloudfrontDeploy breakLock: true, lockTimeoutMinutes: 0,"
                + " source: 'site', target: '/var/www/a/production'");
        CloudFrontDeployStep alive = new CloudFrontDeployStep("site", "/var/www/a/production");
        alive.setAliveIntervalSeconds(5);
        alive.setAliveCountMax(4);
        new SnippetizerTester(r).assertRoundTrip(alive, "cloudfrontDeploy aliveCountMax: 4, aliveIntervalSeconds: 5,"
                + " source: 'site', target: '/var/www/a/production'");
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
            assertTrue(b.getArtifactManager().root().child("cloudfront-deploy/2/changes.txt").isFile());
            assertTrue(b.getArtifactManager().root().child("cloudfront-deploy/2/report.json").isFile());
            assertEquals(2, b.getActions(CloudFrontDeployAction.class).size());
            String page = r.createWebClient().getPage(b, "cloudfront-deploy-2/").asNormalizedText();
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
                + "  sleep 2\n"
                + "  echo \"dry ${s.dryRun}: ${s.modified} modified, ${s.changes}\"\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertSuccess(job);
        r.assertLogContains("dry true: 1 modified, [M index.html]", b);
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
        // every line from the agent, before the step's own summary line and what the script does next
        assertInOrder(JenkinsRule.getLog(b), "[cloudfront-deploy] list …", "[cloudfront-deploy] diff: 1 changed",
                "[cloudfront-deploy] report: written to ", "[cloudfront-deploy] release ", "dry true: 1 modified");
    }

    @Test
    public void statusLinesStreamFromTheAgentAndComeBeforeTheStepsSummary() throws Exception {
        Path www = site();
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST)
                .completeAfterPolls(Integer.MAX_VALUE)) {
            useCloudFront(cloudFront);
            r.createOnlineSlave(Label.get("remote"));
            WorkflowJob job = r.createProject(WorkflowJob.class, "stream");
            job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                    + "  writeFile file: 'out/index.html', text: 'new'\n"
                    + "  def s = cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "',"
                    + " release: 'r2', distributionIds: '" + DIST + "', awsCredentialsId: 'aws',"
                    + " waitForCompletion: true\n"
                    + "  sleep 2\n"
                    + "  echo \"after the step: ${s.release}\"\n"
                    + "}", true));
            WorkflowRun b = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage(" InProgress ", b); // a status poll's line, while CloudFront has not finished
            assertTrue(b.isBuilding());
            cloudFront.completeAll();
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            assertInOrder(JenkinsRule.getLog(b), "[cloudfront-deploy] switch", " InProgress ", " Completed ",
                    "[cloudfront-deploy] invalidate: 1 batch", "[cloudfront-deploy] report: written to ",
                    "[cloudfront-deploy] release r2 (was 1.0.0)", "after the step: r2");
        }
    }

    @Test
    public void aFailedDeployArchivesItsReportsShowsWhatItLeftAndFailsWithTheEnginesLine() throws Exception {
        Path www = site();
        // the batch of two paths is refused (413): the deploy fails after the switch with the batch not sent
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST).maxPathsPerRequest(1)) {
            useCloudFront(cloudFront);
            r.createOnlineSlave(Label.get("remote"));
            WorkflowJob job = r.createProject(WorkflowJob.class, "failing");
            job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                    + "  writeFile file: 'out/index.html', text: 'new'\n"
                    + "  cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "', release: 'r2',"
                    + " distributionIds: '" + DIST + "', awsCredentialsId: 'aws', invalidationMode: 'files'\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job);
            assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
            String log = JenkinsRule.getLog(b);
            assertTrue(log, log.contains("— production serves r2; 1 invalidation batch is not sent yet; run the same"
                    + " deploy again to finish it"));
            assertTrue("one line, no stack trace: " + log, !log.contains("\tat ") && !log.contains("Exception"));

            CloudFrontDeployAction action = b.getAction(CloudFrontDeployAction.class);
            DeploySummary s = action.getSummary();
            assertTrue(s.isFailed());
            assertEquals("failed", s.getOutcome());
            assertEquals("invalidate", s.getFailedStage());
            assertEquals(1, s.getPendingBatches());
            assertEquals("r2", s.getHosts().get(0).getProduction());
            assertTrue(s.getHosts().get(0).isSwitched());
            assertEquals("M\tindex.html\n", artifact(b, "cloudfront-deploy/1/changes.txt"));
            String report = artifact(b, "cloudfront-deploy/1/report.json");
            assertTrue(report, report.contains("\"outcome\" : \"failed\"")
                    && report.contains("\"failedStage\" : \"invalidate\""));

            JenkinsRule.WebClient wc = r.createWebClient();
            String page = wc.getPage(b, "cloudfront-deploy-1/").asNormalizedText();
            assertTrue(page, page.contains("CloudFront Deploy r2 (failed)"));
            assertTrue(page, page.contains("The deploy failed in stage invalidate"));
            assertTrue(page, page.contains("1 invalidation batch(es) not sent yet"));
            String buildPage = wc.getPage(b).asNormalizedText();
            assertTrue(buildPage, buildPage.contains("failed in invalidate"));
        }
    }

    @Test
    public void aReportDirOutsideTheWorkspaceIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path www = site();
        Path outside = tmp.getRoot().toPath().resolve("outside");
        WorkflowJob job = r.createProject(WorkflowJob.class, "reports");
        for (String dir : new String[] {"../outside", "reports/../../outside", outside.toString()}) {
            job.setDefinition(new CpsFlowDefinition("node {\n" // the built-in node: where it would write anywhere
                    + "  writeFile file: 'out/index.html', text: 'new'\n"
                    + "  cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "', reportDir: '"
                    + dir + "'\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job);
            r.assertLogContains("reportDir '" + dir + "' is not a folder inside the workspace", b);
            r.assertLogContains("give a workspace-relative folder such as cloudfront-deploy", b);
        }
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
        try (Stream<Path> releases = Files.list(www)) {
            assertEquals("no release folder, no lock", List.of("1.0.0", "production"),
                    releases.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(!Files.exists(outside) && !r.jenkins.getWorkspaceFor(job).getParent().child("outside").exists());
    }

    @Test
    public void keepalivesReachTheEngine() throws Exception {
        Path www = site();
        r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "keepalive");
        String deploy = "  cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "', release: 'r2', ";
        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  writeFile file: 'out/index.html', text: 'new'\n"
                + deploy + "aliveIntervalSeconds: 0\n"
                + "}", true));
        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("aliveIntervalSeconds: must be at least 1 second, not 0", refused);
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());

        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  writeFile file: 'out/index.html', text: 'new'\n"
                + deploy + "aliveIntervalSeconds: 1, aliveCountMax: 1\n"
                + "}", true));
        r.buildAndAssertSuccess(job);
        assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    @Test
    public void aLockHeldElsewhereIsWaitedForLockTimeoutMinutesAndBrokenWithBreakLock() throws Exception {
        Path www = site();
        Path lock = www.resolve(".cloudfront-deploy/lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("owner.json"),
                "{\"host\":\"build-server-2\",\"user\":\"jenkins\",\"release\":\"9\",\"pid\":4242}");
        Files.writeString(lock.resolve("token"), "token-of-the-other-deploy");
        r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "locked");
        String deploy = "  cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "', release: 'r2', ";
        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  writeFile file: 'out/index.html', text: 'new'\n"
                + deploy + "lockTimeoutMinutes: 0\n"
                + "}", true));
        WorkflowRun b1 = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("another deploy holds the lock", b1);
        r.assertLogContains("jenkins@build-server-2", b1);
        assertEquals("lock", b1.getAction(CloudFrontDeployAction.class).getSummary().getFailedStage());
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());

        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  writeFile file: 'out/index.html', text: 'new'\n"
                + deploy + "breakLock: true\n"
                + "}", true));
        WorkflowRun b2 = r.buildAndAssertSuccess(job);
        r.assertLogContains("WARNING: breaking the deploy lock on local held by jenkins@build-server-2", b2);
        assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
        assertTrue("released", !Files.exists(lock));
    }

    /**
     * The agent process dies (SIGKILL) while the deploy waits for CloudFront: its lock stays on the server. The step
     * fails as the agent's channel closed, {@code retry(conditions: [agent(), …])} runs the block again once the
     * agent is back, and the new agent process takes the lock over (same host, its process gone) and finishes.
     */
    @Test
    public void aLockLeftByAKilledAgentIsTakenOverWhenTheRetryRunsTheDeployAgain() throws Exception {
        Path www = site();
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST)
                .completeAfterPolls(Integer.MAX_VALUE)) {
            useCloudFront(cloudFront);
            DumbSlave agent = r.createOnlineSlave(Label.get("remote"));
            WorkflowJob job = r.createProject(WorkflowJob.class, "killed");
            job.setDefinition(new CpsFlowDefinition("retry(conditions: [agent(), nonresumable()], count: 2) {\n"
                    + "  node('remote') {\n"
                    + "    writeFile file: 'out/index.html', text: 'new'\n"
                    + "    cloudfrontDeploy source: 'out', target: '" + www.resolve("production") + "', release: 'r2',"
                    + " distributionIds: '" + DIST + "', awsCredentialsId: 'aws', invalidationMode: 'files',"
                    + " waitForCompletion: true\n"
                    + "  }\n"
                    + "}", true));
            WorkflowRun b = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage(" InProgress ", b);
            long pid = agent.getChannel().call(new AgentPid());
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
            process.destroyForcibly();
            process.onExit().get(1, java.util.concurrent.TimeUnit.MINUTES);
            r.waitForMessage("Retrying", b);
            assertTrue("the killed deploy's lock stays", Files.exists(www.resolve(".cloudfront-deploy/lock")));
            cloudFront.completeAll();
            agent.toComputer().connect(false).get(); // a new agent process on the same machine
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("WARNING: took over the deploy lock on local left by ", b);
            r.assertLogContains("it is stale, as its process " + pid + " on ", b);
            assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
            assertEquals(List.of("/", "/index.html"), cloudFront.billedPaths(DIST).stream().sorted().toList());
            assertTrue("released", !Files.exists(www.resolve(".cloudfront-deploy/lock")));
        }
    }

    /** The agent JVM's process id. */
    private static final class AgentPid extends MasterToSlaveCallable<Long, RuntimeException> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long call() {
            return ProcessHandle.current().pid();
        }
    }

    @Test
    public void severalDeploysInOneBuildEachHaveTheirPageAndReportsAndTheJobOneTrend() throws Exception {
        Path a = site();
        Path b2 = tmp.newFolder("www-b").toPath();
        Trees.write(b2.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(b2.resolve("production"), Path.of("1.0.0"));
        r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "two");
        job.setDefinition(new CpsFlowDefinition("node('remote') {\n" // the default release: the same for both
                + "  writeFile file: 'out/index.html', text: 'new'\n"
                + "  cloudfrontDeploy source: 'out', target: '" + a.resolve("production") + "'\n"
                + "  writeFile file: 'out/extra.html', text: 'extra'\n"
                + "  cloudfrontDeploy source: 'out', target: '" + b2.resolve("production") + "'\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertSuccess(job);
        List<CloudFrontDeployAction> actions = b.getActions(CloudFrontDeployAction.class);
        assertEquals(List.of("cloudfront-deploy-1", "cloudfront-deploy-2"),
                actions.stream().map(CloudFrontDeployAction::getUrlName).toList());
        assertEquals(actions.get(0).getSummary().getRelease(), actions.get(1).getSummary().getRelease());
        assertEquals("M\tindex.html\n", artifact(b, "cloudfront-deploy/1/changes.txt"));
        assertEquals("A\textra.html\nM\tindex.html\n", artifact(b, "cloudfront-deploy/2/changes.txt"));
        JenkinsRule.WebClient wc = r.createWebClient();
        for (int n = 1; n <= 2; n++) {
            org.htmlunit.html.HtmlPage page = wc.getPage(b, "cloudfront-deploy-" + n + "/");
            assertTrue(page.getAnchorByText("changes.txt").getHrefAttribute()
                    .endsWith("/artifact/cloudfront-deploy/" + n + "/changes.txt"));
            assertTrue(page.getAnchorByText("report.json").getHrefAttribute()
                    .endsWith("/artifact/cloudfront-deploy/" + n + "/report.json"));
        }
        assertEquals("one trend for the job", 1, job.getActions(DeployTrendAction.class).size());
        String jobPage = wc.withJavaScriptEnabled(false).getPage(job).asNormalizedText();
        assertEquals(jobPage, jobPage.indexOf("CloudFront invalidation paths"),
                jobPage.lastIndexOf("CloudFront invalidation paths"));
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
            {"sshCredentialsId: 'nope'", "no credentials with the id 'nope' are available to this job",
                "or correct sshCredentialsId"},
            {"sshCredentialsId: 'aws'", "the credentials 'aws' are \"", "which cannot log in over SSH: give"
                + " sshCredentialsId the id"},
            {"awsCredentialsId: 'nope'", "no credentials with the id 'nope' are available to this job",
                "or leave awsCredentialsId empty"},
            {"awsCredentialsId: 'web'", "the credentials 'web' are \"", "not AWS credentials: give awsCredentialsId"},
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
            assertEquals("the switch happened before the wait", CloudFrontDeployRunner.defaultRelease(b),
                    Files.readSymbolicLink(www.resolve("production")).toString());
            assertEquals(1, cloudFront.invalidations("E2QWRUHAPOMQZL").size());
        }
    }

    /** A site whose production link serves release 1.0.0. */
    private Path site() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        return www;
    }

    /** Deploys of this controller invalidate in the fake, with the AWS credentials 'aws'. */
    private void useCloudFront(FakeCloudFront cloudFront) throws Exception {
        System.setProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY, cloudFront.endpoint().toString());
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws", "AKIDEXAMPLE", "secret", null));
    }

    private static String artifact(WorkflowRun b, String path) throws Exception {
        try (java.io.InputStream in = b.getArtifactManager().root().child(path).open()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Each part found in the log after the one before it. */
    private static void assertInOrder(String log, String... parts) {
        int at = -1;
        for (String part : parts) {
            int i = log.indexOf(part, at + 1);
            assertTrue("'" + part + "' after offset " + at + " in:\n" + log, i > at);
            at = i;
        }
    }
}
