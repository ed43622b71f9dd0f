package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.slaves.DumbSlave;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;

/** The freestyle rollback build step: same options as the Pipeline step, same runner. */
public class CloudFrontRollbackBuilderTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void configRoundTrip() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        CloudFrontRollbackBuilder builder = new CloudFrontRollbackBuilder("ssh://deploy@web1/var/www/a/production");
        builder.setTo("1.0.2");
        builder.setDistributionIds("E2QWRUHAPOMQZL");
        builder.setInvalidationMode("files");
        builder.setMaxCollateral(0.25);
        builder.setWaitTimeoutMinutes(10);
        builder.setLockTimeoutMinutes(0);
        builder.setAliveIntervalSeconds(5);
        builder.setAliveCountMax(4);
        builder.setBreakLock(true);
        builder.setReportDir("reports");
        builder.setHostKeyVerification(new HostKeyVerificationStrategy.AcceptFirstConnection());
        p.getBuildersList().add(builder);
        p = r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(builder, p.getBuildersList().get(CloudFrontRollbackBuilder.class));
    }

    @Test
    public void rollsBackOnAnAgentAndAddsTheReportPage() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        String target = www.resolve("production").toString();
        DumbSlave agent = r.createOnlineSlave(Label.get("remote"));
        FreeStyleProject deploy = r.createFreeStyleProject("deploy");
        deploy.setAssignedLabel(agent.getSelfLabel());
        deploy.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("build " + build.getNumber(), "UTF-8");
                return true;
            }
        });
        CloudFrontDeployBuilder deployer = new CloudFrontDeployBuilder("site", target);
        deployer.setRelease("$BUILD_NUMBER");
        deploy.getBuildersList().add(deployer);
        r.buildAndAssertSuccess(deploy);
        r.buildAndAssertSuccess(deploy);
        assertEquals("2", Files.readSymbolicLink(www.resolve("production")).toString());

        FreeStyleProject rollback = r.createFreeStyleProject("rollback");
        rollback.setAssignedLabel(agent.getSelfLabel());
        rollback.getBuildersList().add(new CloudFrontRollbackBuilder(target));
        FreeStyleBuild b = r.buildAndAssertSuccess(rollback);
        assertEquals("1", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals("build 1", Files.readString(www.resolve("production/index.html")));
        CloudFrontDeployAction action = b.getAction(CloudFrontDeployAction.class);
        assertTrue(action.getSummary().isRollback());
        assertEquals("1", action.getSummary().getRelease());
        assertEquals("2", action.getSummary().getPreviousRelease());
        assertEquals(1, action.getSummary().getModified());
        r.assertLogContains("[cloudfront-deploy] rolled back to release 1 (from 2)", b);
        assertEquals("cloudfront-deploy/1/changes.txt", action.getChangesArtifact());
        assertTrue(b.getArtifactManager().root().child(action.getChangesArtifact()).isFile());
        String page = r.createWebClient().getPage(b, action.getUrlName() + "/").asNormalizedText();
        assertTrue(page, page.contains("Rolled back to release 1 from 2"));
    }
}
