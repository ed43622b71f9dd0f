package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import hudson.model.FreeStyleProject;
import java.util.List;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlOption;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTextArea;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The forms' host-key verification when none was chosen: checking a known-hosts file, never trust on first use. Core's
 * {@code dropdownDescriptorSelector} selects the first descriptor for a {@code null} value, and sorts descriptors of
 * equal ordinal by display name.
 */
public class HostKeyVerificationDefaultTest {
    private static final String KNOWN_HOSTS = Messages.HostKeyVerificationStrategy_KnownHostsFile_DisplayName();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Test
    public void aBuildStepWithoutAStrategySavedFromTheFormChecksAKnownHostsFile() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        CloudFrontDeployBuilder builder = new CloudFrontDeployBuilder("site", "ssh://deploy@web1/var/www/a/production");
        builder.setHostKeyVerification(null);
        p.getBuildersList().add(builder);
        p = r.configRoundtrip(p);
        assertEquals(HostKeyVerificationStrategy.KnownHostsFile.class,
                p.getBuildersList().get(CloudFrontDeployBuilder.class).getHostKeyVerification().getClass());
    }

    @Test
    public void aStepWithoutAStrategySavedFromTheFormChecksAKnownHostsFileAndItsSnippetSaysNothingOfIt()
            throws Exception {
        CloudFrontDeployStep step = new CloudFrontDeployStep("site", "/var/www/a/production");
        step.setHostKeyVerification(null);
        CloudFrontDeployStep saved = new StepConfigTester(r).configRoundTrip(step);
        assertEquals(HostKeyVerificationStrategy.KnownHostsFile.class, saved.getHostKeyVerification().getClass());
        String snippet = Snippetizer.object2Groovy(saved);
        assertFalse(snippet, snippet.contains("acceptFirstConnection"));
        assertFalse(snippet, snippet.contains("hostKeyVerification")); // the default is left out
    }

    @Test
    public void theDropdownListsAndSelectsTheKnownHostsFileFirst() throws Exception {
        assertEquals(HostKeyVerificationStrategy.KnownHostsFile.DescriptorImpl.class,
                r.jenkins.getDescriptorList(HostKeyVerificationStrategy.class).get(0).getClass());
        FreeStyleProject p = r.createFreeStyleProject();
        CloudFrontDeployBuilder builder = new CloudFrontDeployBuilder("site", "ssh://deploy@web1/var/www/a/production");
        builder.setHostKeyVerification(null);
        p.getBuildersList().add(builder);
        HtmlSelect select = hostKeySelect(r.createWebClient().getPage(p, "configure"));
        assertEquals(KNOWN_HOSTS, select.getOption(0).getText());
        assertEquals(KNOWN_HOSTS, select.getSelectedOptions().get(0).getText());
    }

    /** What a user gets from the Snippet Generator after picking the step and filling in only the required fields. */
    @Test
    public void theSnippetGeneratorDefaultsToAKnownHostsFile() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "p");
        job.setDefinition(new CpsFlowDefinition("", true));
        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage page = wc.getPage(job, "pipeline-syntax");
        HtmlSelect steps = page.querySelector("select.dropdownList");
        HtmlOption deploy = steps.getOptions().stream()
                .filter(o -> o.getText().startsWith("cloudfrontDeploy:"))
                .findFirst()
                .orElseThrow();
        steps.setSelectedAttribute(deploy, true);
        wc.waitForBackgroundJavaScript(10_000);
        HtmlSelect hostKeys = hostKeySelect(page);
        assertEquals(KNOWN_HOSTS, hostKeys.getOption(0).getText());
        assertEquals(KNOWN_HOSTS, hostKeys.getSelectedOptions().get(0).getText());
        page.<HtmlInput>querySelector("input[name='_.source']").type("site");
        page.<HtmlTextArea>querySelector("textarea[name='_.target']").type("/var/www/a/production");
        page.<HtmlButton>querySelector("#generatePipelineScript").click();
        wc.waitForBackgroundJavaScript(10_000);
        assertEquals("cloudfrontDeploy source: 'site', target: '/var/www/a/production'",
                page.<HtmlTextArea>querySelector("#prototypeText").getText());
    }

    /** The select of the host-key dropdown: the one offering the known-hosts file. */
    static HtmlSelect hostKeySelect(HtmlPage page) {
        List<HtmlSelect> selects = page.getDocumentElement().getElementsByTagName("select").stream()
                .filter(HtmlSelect.class::isInstance)
                .map(HtmlSelect.class::cast)
                .filter(s -> s.getOptions().stream().anyMatch(o -> o.getText().equals(KNOWN_HOSTS)))
                .toList();
        assertEquals("one host-key dropdown", 1, selects.size());
        assertNotNull(selects.get(0));
        assertTrue(selects.get(0).getOptionSize() >= 4);
        return selects.get(0);
    }
}
