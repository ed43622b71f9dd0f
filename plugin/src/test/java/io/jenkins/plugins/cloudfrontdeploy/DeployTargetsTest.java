package io.jenkins.plugins.cloudfrontdeploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** Several production links: given as a Groovy list or one per line, and checked in a multi-line box of the form. */
public class DeployTargetsTest {
    private static final String PASSWORD = "a-long-ssh-password-2";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aListOfTargetsOrOnePerLineDeploysToEveryHost() throws Exception {
        Path www1 = tmp.newFolder("www1").toPath();
        Path www2 = tmp.newFolder("www2").toPath();
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "web", null, "tester", PASSWORD));
        r.createOnlineSlave(Label.get("remote"));
        try (EmbeddedSshServer web1 = EmbeddedSshServer.builder().password(PASSWORD).start();
                EmbeddedSshServer web2 = EmbeddedSshServer.builder().password(PASSWORD).start()) {
            String t1 = web1.url("tester", www1.resolve("production").toString());
            String t2 = web2.url("tester", www2.resolve("production").toString());
            String keys = web1.knownHostsLine() + "\\n" + web2.knownHostsLine();
            WorkflowJob job = r.createProject(WorkflowJob.class, "two");
            job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                    + "  writeFile file: 'site/index.html', text: 'one'\n"
                    + "  def s = cloudfrontDeploy source: 'site', target: ['" + t1 + "', '" + t2 + "'], release: 'a',"
                    + " sshCredentialsId: 'web', hostKeyVerification: manuallyProvidedKey('" + keys + "')\n"
                    + "  echo \"first: ${s.release}, ${s.added} added\"\n"
                    + "  writeFile file: 'site/index.html', text: 'two'\n"
                    + "  cloudfrontDeploy source: 'site', target: '" + t1 + "\\n" + t2 + "\\n', release: 'b',"
                    + " sshCredentialsId: 'web', hostKeyVerification: manuallyProvidedKey('" + keys + "')\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertSuccess(job);
            r.assertLogContains("first: a, 1 added", b);
            for (Path www : List.of(www1, www2)) {
                assertEquals("b", Files.readSymbolicLink(www.resolve("production")).toString());
                assertEquals("two", Files.readString(www.resolve("production/index.html")));
                assertEquals("one", Files.readString(www.resolve("a/index.html")));
            }
        }
    }

    @Test
    public void aTargetThatIsNeitherTextNorAListOfTextIsRefused() throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "bad");
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  cloudfrontDeploy source: 'site', target: [a: 1]\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("target must be a production link, several on separate lines, or a list of them", b);
        r.assertLogContains("got {a=1}", b);
    }

    @Test
    public void theTargetsAreEnteredInACheckedTextArea() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject("site");
        p.getBuildersList().add(new CloudFrontDeployBuilder("site", "ssh://deploy@web1/var/www/a/production"));
        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage page = wc.getPage(p, "configure");
        HtmlTextArea box = page.querySelector("textarea[name='_.target']");
        assertEquals("ssh://deploy@web1/var/www/a/production", box.getText());
        String checkUrl = box.getAttribute("checkUrl");
        assertThat(checkUrl, containsString("checkTarget"));
        assertEquals("post", box.getAttribute("checkMethod"));

        WebRequest check = new WebRequest(new java.net.URL(r.getURL(), checkUrl.replaceFirst("^/jenkins/", "")),
                HttpMethod.POST);
        check.setRequestParameters(List.of(
                new NameValuePair("value", "ssh://deploy@web1/var/www/a/production\nftp://web2/var/www/a/production")));
        String answer = wc.getPage(wc.addCrumb(check)).getWebResponse().getContentAsString();
        assertThat(answer, containsString("error"));
        assertThat(answer, containsString("ftp://web2/var/www/a/production"));
    }

    @Test
    public void aListIsJoinedIntoLinesAndAnythingElseIsNamedInTheError() {
        assertEquals(Map.of("source", "s", "target", "ssh://a/x\nssh://b/x"),
                TargetList.join(Map.of("source", "s", "target", List.of("ssh://a/x", "ssh://b/x"))));
        assertEquals(Map.of("target", "ssh://a/x"), TargetList.join(Map.of("target", "ssh://a/x")));
        IllegalArgumentException e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                () -> TargetList.join(Map.of("target", List.of("ssh://a/x", 3))));
        assertThat(e.getMessage(), containsString("3"));
    }
}
