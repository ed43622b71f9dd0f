package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;

/** The freestyle build step: same options as the Pipeline step, same runner. */
public class CloudFrontDeployBuilderTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void configRoundTrip() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        CloudFrontDeployBuilder builder = new CloudFrontDeployBuilder("site", "ssh://deploy@web1/var/www/a/production");
        builder.setInvalidationMode("files");
        builder.setMaxCollateral(0.25);
        builder.setExcludes("**/*.map");
        builder.setHostKeyVerification(new HostKeyVerificationStrategy.AcceptFirstConnection());
        p.getBuildersList().add(builder);
        p = r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(builder, p.getBuildersList().get(CloudFrontDeployBuilder.class));
    }

    @Test
    public void deploysOnAnAgentAndAddsTheReportPage() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        FreeStyleProject p = r.createFreeStyleProject();
        p.setAssignedLabel(r.createOnlineSlave(Label.get("remote")).getSelfLabel());
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("hello", "UTF-8");
                return true;
            }
        });
        p.getBuildersList().add(new CloudFrontDeployBuilder("site", www.resolve("production").toString()));
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        assertEquals(String.valueOf(b.getNumber()), Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals("hello", Files.readString(www.resolve("production/index.html")));
        CloudFrontDeployAction action = b.getAction(CloudFrontDeployAction.class);
        assertNotNull(action);
        assertEquals(1, action.getSummary().getAdded());
        r.assertLogContains("[cloudfront-deploy] report", b);
        r.createWebClient().getPage(b, action.getUrlName()); // index.jelly renders
    }
}
