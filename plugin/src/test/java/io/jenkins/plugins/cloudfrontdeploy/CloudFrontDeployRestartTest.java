package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
            String page = r.createWebClient().getPage(b, "cloudfront-deploy-r1/").asNormalizedText();
            assertTrue(page, page.contains("Release r1 in place of nothing"));
        });
    }
}
