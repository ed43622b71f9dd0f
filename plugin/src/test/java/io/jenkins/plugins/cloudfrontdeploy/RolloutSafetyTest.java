package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.util.FormValidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeEdge;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Rollout safety in Jenkins: removed assets kept servable for a grace period, the edge checked against the build
 * (an in-process edge in front of the production link, invalidated by the fake CloudFront), the distributions'
 * origins checked; each on the build page, in the step's result, the job's trend and the forms.
 */
public class RolloutSafetyTest {
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
    public void aRemovedAssetStaysServableAndTheEdgeServesTheBuildOnThePageTheResultAndTheTrend() throws Exception {
        Path www = site();
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST);
                FakeEdge edge = FakeEdge.start(www.resolve("production"), cloudFront, DIST, "/")) {
            useCloudFront(cloudFront);
            edge.warm("/", "/index.html", "/app.1.js"); // visitors' copies of the old release
            WorkflowJob job = pipeline("node('remote') {\n"
                    + "  writeFile file: 'site/index.html', text: '<script src=app.2.js>'\n"
                    + "  writeFile file: 'site/app.2.js', text: 'two'\n"
                    + "  def s = cloudfrontDeploy source: 'site', target: '" + www.resolve("production") + "',"
                    + " release: 'r2', distributionIds: '" + DIST + "', awsCredentialsId: 'aws',"
                    + " invalidationMode: 'files', verifyUrl: '" + edge.base() + "', verifySample: 0\n"
                    + "  echo \"edge ${s.edgeOk} ok, ${s.edgeStale} stale, ${s.edgeMissing} missing;"
                    + " kept ${s.removedKept.collect { it.path + ' until ' + it.until }}\"\n"
                    + "}");
            WorkflowRun b = r.buildAndAssertSuccess(job);

            r.assertLogContains("edge 3 ok, 0 stale, 0 missing; kept [app.1.js until 1]", b);
            assertTrue("the old index's asset is still served",
                    Files.isRegularFile(www.resolve("production/app.1.js")));
            assertFalse("a kept file is not invalidated", cloudFront.billedPaths(DIST).contains("/app.1.js"));
            assertTrue(artifact(b, "cloudfront-deploy/1/changes.txt").contains("D\tapp.1.js"));

            String page = r.createWebClient().getPage(b, "cloudfront-deploy-1/").asNormalizedText();
            assertTrue(page, page.contains("Served by the edge"));
            assertTrue(page, page.contains("3 URL(s) serve the build, 0 stale, 0 missing"));
            assertTrue(page, page.contains(edge.base() + "/app.2.js"));
            assertTrue(page, page.contains("Removed files kept servable"));
            assertTrue(page, page.contains("app.1.js\tthe next deploy"));
            String trend = job.getAction(DeployTrendAction.class).getBuildTrendModel();
            assertTrue(trend, trend.contains("Stale URLs at the edge"));
        }
    }

    @Test
    public void failOnStaleFailsTheBuildNamingTheUrlTheEdgeStillServesOld() throws Exception {
        Path www = site();
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST);
                FakeEdge edge = FakeEdge.start(www.resolve("production"), cloudFront, DIST, "/")) {
            useCloudFront(cloudFront);
            edge.warm("/index.html").lag("/index.html", Integer.MAX_VALUE); // an edge that ignores the invalidation
            WorkflowJob job = pipeline("node('remote') {\n"
                    + "  writeFile file: 'site/index.html', text: 'new'\n"
                    + "  writeFile file: 'site/app.1.js', text: 'one'\n"
                    + "  cloudfrontDeploy source: 'site', target: '" + www.resolve("production") + "', release: 'r2',"
                    + " distributionIds: '" + DIST + "', awsCredentialsId: 'aws', invalidationMode: 'files',"
                    + " verifyUrl: '" + edge.base() + "', verifySample: 0, verifyTimeout: '3s', failOnStale: true\n"
                    + "}");
            WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job);

            r.assertLogContains("does not serve the build at 1 of 2 URL(s)", b);
            r.assertLogContains("stale " + edge.base() + "/index.html", b);
            assertEquals("production serves the new release all the same", "r2",
                    Files.readSymbolicLink(www.resolve("production")).toString());
            CloudFrontDeployAction action = b.getAction(CloudFrontDeployAction.class);
            assertEquals(1, action.getSummary().getEdgeStale());
            assertEquals("stale", action.getSummary().getEdge().getUrls().get(0).getStatus());
            String page = r.createWebClient().getPage(b, "cloudfront-deploy-1/").asNormalizedText();
            assertTrue(page, page.contains("1 URL(s) serve the build, 1 stale, 0 missing"));
        }
    }

    @Test
    public void checkOriginRefusesAnotherSitesDistributionInThePipelinesWords() throws Exception {
        Path www = site();
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST)
                .origins(DIST, "other-site.example.org")) {
            useCloudFront(cloudFront);
            WorkflowJob job = pipeline("node('remote') {\n"
                    + "  writeFile file: 'site/index.html', text: 'new'\n"
                    + "  cloudfrontDeploy source: 'site', target: '" + www.resolve("production") + "', release: 'r2',"
                    + " distributionIds: '" + DIST + "', awsCredentialsId: 'aws',"
                    + " originDomain: 'origin.example.com', checkOrigin: true\n"
                    + "}");
            WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job);

            r.assertLogContains("fetches from other-site.example.org, none of which is origin.example.com", b);
            r.assertLogContains("(originDomain: 'other-site.example.org')", b);
            r.assertLogNotContains("--origin-domain", b);
            assertEquals("nothing was switched", "1.0.0", Files.readSymbolicLink(www.resolve("production")).toString());
            assertTrue("nothing was invalidated", cloudFront.billedPaths(DIST).isEmpty());
        }
    }

    @Test
    public void theNewOptionsRoundTripInTheSnippetGeneratorAndBothForms() throws Exception {
        CloudFrontDeployStep step = new CloudFrontDeployStep("site", "/var/www/a/production");
        step.setKeepRemovedReleases(3);
        step.setInvalidateExpired(true);
        step.setVerifyUrl("https://www.example.com");
        step.setVerifySample(5);
        step.setVerifyTimeout("90s");
        step.setFailOnStale(true);
        step.setOriginDomain("origin.example.com");
        step.setCheckOrigin(true);
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        new SnippetizerTester(r).assertRoundTrip(step, "cloudfrontDeploy checkOrigin: true, failOnStale: true,"
                + " invalidateExpired: true, keepRemovedReleases: 3, originDomain: 'origin.example.com',"
                + " source: 'site', target: '/var/www/a/production', verifySample: 5, verifyTimeout: '90s',"
                + " verifyUrl: 'https://www.example.com'");
        // the defaults (keep removed files 1 deploy, sample 20) are not written into a snippet
        CloudFrontDeployStep defaults = new CloudFrontDeployStep("site", "/var/www/a/production");
        defaults.setKeepRemovedReleases(null);
        defaults.setVerifySample(null);
        assertEquals(Integer.valueOf(1), defaults.getKeepRemovedReleases());
        new SnippetizerTester(r).assertRoundTrip(defaults,
                "cloudfrontDeploy source: 'site', target: '/var/www/a/production'");

        FreeStyleProject p = r.createFreeStyleProject();
        CloudFrontDeployBuilder builder = new CloudFrontDeployBuilder("site", "/var/www/a/production");
        builder.setKeepRemovedReleases(0);
        builder.setInvalidateExpired(true);
        builder.setVerifyUrl("https://www.example.com/shop");
        builder.setVerifySample(0);
        builder.setVerifyTimeout("5m");
        builder.setFailOnStale(true);
        builder.setOriginDomain("origin.example.com");
        builder.setCheckOrigin(true);
        p.getBuildersList().add(builder);
        p = r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(builder, p.getBuildersList().get(CloudFrontDeployBuilder.class));
    }

    @Test
    public void theFormChecksTheEdgeOptionsInItsOwnWords() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        FormValidation url = DeployForms.checkVerifyUrl(p, "ftp://www.example.com");
        assertEquals(FormValidation.Kind.ERROR, url.kind);
        assertTrue(url.getMessage(), url.getMessage().contains("Verify at URL")
                && url.getMessage().contains("https://www.example.com") && !url.getMessage().contains("--verify-url"));
        FormValidation timeout = DeployForms.checkVerifyTimeout(p, "soon");
        assertEquals(FormValidation.Kind.ERROR, timeout.kind);
        assertTrue(timeout.getMessage(), timeout.getMessage().contains("Verify timeout"));
        assertEquals(FormValidation.Kind.OK, DeployForms.checkVerifyUrl(p, "https://www.example.com").kind);
        assertEquals(FormValidation.Kind.OK, DeployForms.checkVerifyTimeout(p, "90s").kind);
        assertEquals("a variable is read at build time", FormValidation.Kind.OK,
                DeployForms.checkVerifyUrl(p, "${SITE_URL}").kind);
    }

    private Path site() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "<script src=app.1.js>");
        Trees.write(www.resolve("1.0.0"), "app.1.js", "one");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        return www;
    }

    private WorkflowJob pipeline(String script) throws Exception {
        r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "site");
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
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
}
