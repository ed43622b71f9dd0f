package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;

import hudson.model.FreeStyleProject;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Defaults stay out of the Snippet Generator's output: what the form posts for an untouched field, or a default given
 * explicitly, is the value the step starts with, so structs leaves it out.
 */
public class SnippetDefaultsTest {
    private static final String MINIMAL = "cloudfrontDeploy source: 'site', target: '/var/www/a/production'";

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Test
    public void aStepSavedFromAnUntouchedFormGivesOnlyTheRequiredFields() throws Exception {
        CloudFrontDeployStep saved = new StepConfigTester(r).configRoundTrip(
                new CloudFrontDeployStep("site", "/var/www/a/production"));
        assertEquals(MINIMAL, Snippetizer.object2Groovy(saved));
    }

    @Test
    public void defaultsGivenExplicitlyAreLeftOut() throws Exception {
        CloudFrontDeployStep step = new CloudFrontDeployStep("site", "/var/www/a/production");
        step.setInvalidationMode("auto");
        step.setKeepReleases(5);
        step.setWaitTimeoutMinutes(30);
        step.setMaxCollateral(0.0);
        step.setIndexDocuments("index.html");
        step.setUrlPrefix("/");
        step.setHostKeyVerification(new HostKeyVerificationStrategy.KnownHostsFile());
        new SnippetizerTester(r).assertRoundTrip(step, MINIMAL);
    }

    @Test
    public void aChangedValueIsKept() throws Exception {
        CloudFrontDeployStep step = new CloudFrontDeployStep("site", "/var/www/a/production");
        step.setInvalidationMode("files");
        step.setKeepReleases(3);
        new SnippetizerTester(r).assertRoundTrip(step, "cloudfrontDeploy invalidationMode: 'files', keepReleases: 3,"
                + " source: 'site', target: '/var/www/a/production'");
    }

    @Test
    public void aBuildStepSavedFromAnUntouchedFormHoldsTheDefaults() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildersList().add(new CloudFrontDeployBuilder("site", "/var/www/a/production"));
        p = r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(new CloudFrontDeployBuilder("site", "/var/www/a/production"),
                p.getBuildersList().get(CloudFrontDeployBuilder.class));
    }
}
