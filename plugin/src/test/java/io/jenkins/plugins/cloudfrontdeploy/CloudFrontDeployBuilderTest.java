package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        builder.setLockTimeoutMinutes(12);
        builder.setAliveIntervalSeconds(5);
        builder.setAliveCountMax(4);
        builder.setBreakLock(true);
        builder.setAllowExternalLinks(true);
        p.getBuildersList().add(builder);
        p = r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(builder, p.getBuildersList().get(CloudFrontDeployBuilder.class));
    }

    @Test
    public void keepalivesReachTheEngineInTheFormsWords() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        FreeStyleProject p = r.createFreeStyleProject();
        p.setAssignedLabel(r.createOnlineSlave(Label.get("remote")).getSelfLabel());
        p.getBuildersList().add(writeSite("new"));
        CloudFrontDeployBuilder deploy = new CloudFrontDeployBuilder("site", www.resolve("production").toString());
        deploy.setAliveCountMax(0);
        p.getBuildersList().add(deploy);
        FreeStyleBuild b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("\"Keepalive count max\" must be at least 1, not 0", b);
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
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
        CloudFrontDeployAction action = b.getAction(CloudFrontDeployAction.class);
        assertNotNull(action);
        assertEquals(CloudFrontDeployRunner.defaultRelease(b), action.getSummary().getRelease());
        assertEquals(action.getSummary().getRelease(), Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals("hello", Files.readString(www.resolve("production/index.html")));
        assertEquals(1, action.getSummary().getAdded());
        r.assertLogContains("[cloudfront-deploy] report", b);
        r.createWebClient().getPage(b, action.getUrlName()); // index.jelly renders
    }

    @Test
    public void aFailedDeployOnAnAgentArchivesItsReportsAddsItsPageAndFailsWithOneLine() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        Path lock = www.resolve(".cloudfront-deploy/lock"); // a deploy on another machine holds the site
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("owner.json"), "{\"host\":\"build-server-2\",\"user\":\"jenkins\",\"pid\":7}");
        Files.writeString(lock.resolve("token"), "token-of-the-other-deploy");
        FreeStyleProject p = r.createFreeStyleProject();
        p.setAssignedLabel(r.createOnlineSlave(Label.get("remote")).getSelfLabel());
        p.getBuildersList().add(writeSite("new"));
        CloudFrontDeployBuilder deploy = new CloudFrontDeployBuilder("site", www.resolve("production").toString());
        deploy.setLockTimeoutMinutes(0);
        p.getBuildersList().add(deploy);
        FreeStyleBuild b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("ERROR: [cloudfront-deploy] another deploy holds the lock", b);
        r.assertLogNotContains("\tat ", b);
        CloudFrontDeployAction action = b.getAction(CloudFrontDeployAction.class);
        assertTrue(action.getSummary().isFailed());
        assertEquals("lock", action.getSummary().getFailedStage());
        assertEquals(false, action.getSummary().getHosts().get(0).isSwitched());
        assertTrue(b.getArtifactManager().root().child("cloudfront-deploy/1/report.json").isFile());
        assertTrue(b.getArtifactManager().root().child("cloudfront-deploy/1/changes.txt").isFile());
        String page = r.createWebClient().getPage(b, action.getUrlName() + "/").asNormalizedText();
        assertTrue(page, page.contains("The deploy failed in stage lock"));
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    /** A wrong credentials id is fixed in the form's field, which the error names by its label. */
    @Test
    public void credentialErrorsNameTheFormsFields() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildersList().add(writeSite("new"));
        CloudFrontDeployBuilder deploy = new CloudFrontDeployBuilder("site", www.resolve("production").toString());
        deploy.setSshCredentialsId("nope");
        p.getBuildersList().add(deploy);
        FreeStyleBuild b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("no credentials with the id 'nope' are available to this job", b);
        r.assertLogContains("or correct \"SSH credentials\"", b);
        r.assertLogNotContains("sshCredentialsId", b);

        deploy.setSshCredentialsId(null);
        deploy.setAwsCredentialsId("missing");
        b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("or leave \"AWS credentials\" empty", b);
        r.assertLogNotContains("awsCredentialsId", b);
        assertEquals("1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    /**
     * Two jobs deploying to one target, each in its first build, and a job deleted and created again: the default
     * release is the build's time and number, unique across them, and sorts in the order they deployed.
     */
    @Test
    public void theDefaultReleaseIsUniqueAcrossJobsAndSortsInDeployOrder() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        String target = www.resolve("production").toString();
        List<String> deployed = new ArrayList<>();
        FreeStyleProject a = deployJob("a", target, false);
        deployed.add(release(r.buildAndAssertSuccess(a)));
        FreeStyleProject dry = deployJob("b-dry", target, true); // a dry run of another job's build #1
        String dryRelease = release(r.buildAndAssertSuccess(dry));
        FreeStyleProject b = deployJob("b", target, false);
        deployed.add(release(r.buildAndAssertSuccess(b)));
        a.delete();
        a = deployJob("a", target, false); // the same name, its build #1 again
        deployed.add(release(r.buildAndAssertSuccess(a)));

        for (String release : deployed) {
            assertTrue(release, release.matches("\\d{8}-\\d{6}\\.\\d{3}-b1"));
        }
        assertTrue(dryRelease, dryRelease.matches("\\d{8}-\\d{6}\\.\\d{3}-b1"));
        assertEquals("all different", 3, new java.util.HashSet<>(deployed).size());
        assertEquals("sorted as deployed", deployed, deployed.stream().sorted().toList());
        assertEquals(deployed.get(2), Files.readSymbolicLink(www.resolve("production")).toString());
    }

    private FreeStyleProject deployJob(String name, String target, boolean dryRun) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject(name);
        p.getBuildersList().add(writeSite(name));
        CloudFrontDeployBuilder deploy = new CloudFrontDeployBuilder("site", target);
        deploy.setDryRun(dryRun);
        p.getBuildersList().add(deploy);
        return p;
    }

    private static String release(FreeStyleBuild b) {
        return b.getAction(CloudFrontDeployAction.class).getSummary().getRelease();
    }

    private static TestBuilder writeSite(String text) {
        return new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write(text, "UTF-8");
                return true;
            }
        };
    }
}
