package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;

/**
 * The report on the build page, in the classic build page and in the new one (core's experimental flag, whose default
 * a system property sets; the new page renders every action's summary.jelly in its "Legacy" card), the detail page,
 * and the job's trend.
 */
public class CloudFrontDeployActionTest {
    /**
     * jenkinsci/jenkins: BooleanUserExperimentalFlag#getDefaultValue reads a system property named after the flag,
     * "{flag key}.defaultValue" (NewBuildPageUserExperimentalFlag's key is "new-build-page.flag", JENKINS-76260) in
     * one version of core and "{class name}.defaultValue" in another: both are set, so the new page is really shown.
     */
    private static final String[] NEW_BUILD_PAGE = {
        "new-build-page.flag.defaultValue",
        "jenkins.model.experimentalflags.NewBuildPageUserExperimentalFlag.defaultValue",
    };

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @After
    public void classicBuildPage() {
        for (String property : NEW_BUILD_PAGE) {
            System.clearProperty(property);
        }
    }

    @Test
    public void theSummaryShowsOnBothBuildPagesAndLinksToTheReport() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1"), "index.html", "old");
        Trees.write(www.resolve("1"), "gone.html", "gone");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1"));
        FreeStyleProject p = r.createFreeStyleProject("site");
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("new", "UTF-8");
                build.getWorkspace().child("site/added.html").write("added", "UTF-8");
                return true;
            }
        });
        CloudFrontDeployBuilder deploy = new CloudFrontDeployBuilder("site", www.resolve("production").toString());
        deploy.setRelease("2");
        p.getBuildersList().add(deploy);
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        CloudFrontDeployAction action = b.getAction(CloudFrontDeployAction.class);
        assertEquals("cloudfront-deploy-1", action.getUrlName());

        for (String newBuildPage : new String[] {"false", "true"}) {
            for (String property : NEW_BUILD_PAGE) {
                System.setProperty(property, newBuildPage);
            }
            JenkinsRule.WebClient wc = r.createWebClient();
            String buildPage = wc.getPage(b).asNormalizedText();
            assertTrue(newBuildPage + ": " + buildPage, buildPage.contains("1 added, 1 modified, 1 removed"));
            assertTrue(newBuildPage + ": " + buildPage, buildPage.contains("(was 1)"));
            String report = wc.getPage(b, action.getUrlName() + "/").asNormalizedText();
            assertTrue(report, report.contains("Release 2 in place of 1"));
            assertTrue(report, report.contains("added.html"));
            assertTrue(report, report.contains("gone.html"));
            // the links to the archived reports resolve
            wc.goTo(b.getUrl() + "artifact/" + action.getChangesArtifact(), "text/plain");
            wc.goTo(b.getUrl() + "artifact/" + action.getReportArtifact(), "application/json");
        }
    }

    @Test
    public void theJobPageTrendCountsBilledPathsPerBuild() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        FreeStyleProject p = r.createFreeStyleProject("trend");
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("build " + build.getNumber(), "UTF-8");
                return true;
            }
        });
        p.getBuildersList().add(new CloudFrontDeployBuilder("site", www.resolve("production").toString()));
        r.buildAndAssertSuccess(p);
        r.buildAndAssertSuccess(p);
        DeployTrendAction trend = p.getAction(DeployTrendAction.class);
        assertTrue(trend.isTrendVisible());
        String model = trend.getBuildTrendModel();
        assertTrue(model, model.contains("#1") && model.contains("#2"));
        // the floating box renders on the job page (its chart is drawn by ECharts in the browser, not under test)
        String jobPage = r.createWebClient().withJavaScriptEnabled(false).getPage(p).asNormalizedText();
        assertTrue(jobPage, jobPage.contains("CloudFront invalidation paths"));
    }

    @Test
    public void theTrendShowsWhenTheLastCompletedBuildDeployedEvenIfItFailed() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        FreeStyleProject p = r.createFreeStyleProject("failing");
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("hello", "UTF-8");
                return true;
            }
        });
        p.getBuildersList().add(new CloudFrontDeployBuilder("site", www.resolve("production").toString()));
        p.getBuildersList().add(new TestBuilder() { // a later step fails the build: the deploy happened all the same
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) {
                return false;
            }
        });
        r.buildAndAssertStatus(hudson.model.Result.FAILURE, p);
        assertEquals(1, p.getActions(DeployTrendAction.class).size());
        String jobPage = r.createWebClient().withJavaScriptEnabled(false).getPage(p).asNormalizedText();
        assertTrue(jobPage, jobPage.contains("CloudFront invalidation paths"));
    }

    @Test
    public void theJobPageListsTheReleasesOnEachTargetWithTheBuildsThatDeployedThem() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("hand-made"), "index.html", "old");
        Files.createSymbolicLink(www.resolve("production"), Path.of("hand-made"));
        FreeStyleProject p = r.createFreeStyleProject("releases");
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("build " + build.getNumber(), "UTF-8");
                return true;
            }
        });
        CloudFrontDeployBuilder deploy = new CloudFrontDeployBuilder("site", www.resolve("production").toString());
        deploy.setKeepReleases(2);
        p.getBuildersList().add(deploy);
        List<String> releases = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            releases.add(r.buildAndAssertSuccess(p).getAction(CloudFrontDeployAction.class).getSummary()
                    .getRelease());
        }
        List<DeployTrendAction.TargetReleases> targets = p.getAction(DeployTrendAction.class).getTargets();
        assertEquals(1, targets.size());
        assertEquals(www.resolve("production").toString(), targets.get(0).getTarget());
        // retention kept 2 (and the release before the live one); the first build's release is gone
        assertEquals(List.of(releases.get(2) + " live #3", releases.get(1) + " previous #2"),
                targets.get(0).getReleases().stream().map(rr -> rr.getName() + " " + rr.getStatus() + " "
                        + (rr.getBuild() == null ? "-" : rr.getBuild().getDisplayName())).toList());

        org.htmlunit.html.HtmlPage page = r.createWebClient().withJavaScriptEnabled(false).getPage(p);
        String text = page.asNormalizedText();
        assertTrue(text, text.contains("Releases on " + www.resolve("production")));
        assertTrue(text, text.contains(releases.get(2) + "\tlive\t#3"));
        assertTrue(text, text.contains(releases.get(1) + "\tprevious\t#2"));
        assertTrue(page.getAnchorByText("#2").getHrefAttribute().endsWith("/job/releases/2/"));
    }
}
