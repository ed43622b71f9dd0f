package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Label;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * A controller restart between two deploys of one Pipeline: the first deploy's page (build.xml) and its returned
 * summary (the Pipeline's program state) survive it, and the second deploy runs after it against the first release.
 */
public class CloudFrontDeployRestartTest {
    private static final String DIST = "E2QWRUHAPOMQZL";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theReportAndTheSummarySurviveARestartAndTheNextDeployRunsAfterIt() throws Throwable {
        Path production = tmp.newFolder("www").toPath().resolve("production");
        sessions.then(r -> {
            WorkflowJob job = r.createProject(WorkflowJob.class, "site");
            job.setDefinition(new CpsFlowDefinition("node {\n"
                    + "  writeFile file: 'site/index.html', text: 'one'\n"
                    + "  def first = cloudfrontDeploy source: 'site', target: '" + production + "', release: 'r1'\n"
                    + "  semaphore 'restart'\n"
                    + "  writeFile file: 'site/index.html', text: 'two'\n"
                    + "  def second = cloudfrontDeploy source: 'site', target: '" + production + "', release: 'r2'\n"
                    + "  echo \"first ${first.release} added ${first.added}; second ${second.release} after"
                    + " ${second.previousRelease} modified ${second.modified}\"\n"
                    + "}", true));
            WorkflowRun b = job.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("restart/1", b);
            assertEquals("r1", Files.readSymbolicLink(production).toString());
        });
        sessions.then(r -> {
            WorkflowRun b = r.jenkins.getItemByFullName("site", WorkflowJob.class).getBuildByNumber(1);
            List<CloudFrontDeployAction> before = b.getActions(CloudFrontDeployAction.class);
            assertEquals(1, before.size());
            assertEquals("r1", before.get(0).getSummary().getRelease());
            SemaphoreStep.success("restart/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("first r1 added 1; second r2 after r1 modified 1", b);
            assertEquals("r2", Files.readSymbolicLink(production).toString());
            assertEquals(2, b.getActions(CloudFrontDeployAction.class).size());
            String page = r.createWebClient().getPage(b, "cloudfront-deploy-1/").asNormalizedText();
            assertTrue(page, page.contains("Release r1 in place of nothing"));
        });
    }

    /**
     * Jenkins stops while the step waits for CloudFront on an agent, with production already switched. The test
     * harness closes the agent's channel before Jenkins begins to stop (as a WebSocket agent's closes with the web
     * server): the step holds its failure until the Pipeline is saved ({@link ControllerShutdown}), so after the
     * restart it fails as not resumable, and the README's {@code retry(conditions: [agent(), nonresumable()],
     * count: 2)} runs the {@code node} block again. The retry takes over the lock the agent process left as it died,
     * resumes the same release (the default release is the build's, not the attempt's), sends the journaled batch
     * again under its caller reference (CloudFront answers with the invalidation it has: billed once) and waits.
     *
     * <p>The agent is one of {@code r.createOnlineSlave}: saved with the first session's nodes, its command launcher
     * starts a new agent process when the second session starts.
     */
    @Test
    public void aRetryAfterARestartWhileWaitingForCloudFrontFinishesTheDeploy() throws Throwable {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST)
                .completeAfterPolls(Integer.MAX_VALUE)) {
            System.setProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY, cloudFront.endpoint().toString());
            String[] release = new String[1];
            sessions.then(r -> {
                CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                        new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws", "AKIDEXAMPLE", "secret", null));
                r.createOnlineSlave(Label.get("remote"));
                WorkflowJob job = r.createProject(WorkflowJob.class, "site");
                job.setDefinition(new CpsFlowDefinition(
                        "retry(conditions: [agent(), nonresumable()], count: 2) {\n"
                        + "  node('remote') {\n"
                        + "    writeFile file: 'site/index.html', text: 'new'\n"
                        + "    def s = cloudfrontDeploy source: 'site', target: '" + www.resolve("production") + "',"
                        + " distributionIds: '" + DIST + "', awsCredentialsId: 'aws', invalidationMode: 'files',"
                        + " waitForCompletion: true\n"
                        + "    echo \"deployed ${s.release}: ${s.billedPaths} paths billed\"\n"
                        + "  }\n"
                        + "}", true));
                WorkflowRun b = job.scheduleBuild2(0).waitForStart();
                r.waitForMessage(" InProgress ", b); // switched, invalidation sent, waiting for CloudFront
                release[0] = CloudFrontDeployRunner.defaultRelease(b);
                assertEquals(release[0], Files.readSymbolicLink(www.resolve("production")).toString());
            });
            cloudFront.completeAll();
            sessions.then(r -> {
                WorkflowRun b = r.jenkins.getItemByFullName("site", WorkflowJob.class).getBuildByNumber(1);
                r.assertBuildStatusSuccess(r.waitForCompletion(b));
                r.assertLogContains("The Pipeline step `cloudfrontDeploy` cannot be resumed", b);
                r.assertLogContains("Retrying", b);
                r.assertLogContains("deployed " + release[0] + ": 2 paths billed", b);
                assertEquals(release[0], Files.readSymbolicLink(www.resolve("production")).toString());
                assertEquals("the batch is billed once", List.of("/", "/index.html"),
                        cloudFront.billedPaths(DIST).stream().sorted().toList());
                assertEquals(1, cloudFront.invalidations(DIST).size());
                assertFalse("no lock left", Files.exists(www.resolve(".cloudfront-deploy/lock")));
            });
        } finally {
            System.clearProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY);
        }
    }
}
