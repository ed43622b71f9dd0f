package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;

/**
 * The engine's messages in Jenkins speak the Jenkins user's words: the step's parameter names in a Pipeline, the
 * form's labels in a freestyle job, and fixes a Jenkins user can apply; never the command line's options.
 */
public class EngineMessagesTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private WorkflowRun failingPipeline(String steps) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition("node {\n" + steps + "\n}", true));
        return r.buildAndAssertStatus(Result.FAILURE, job);
    }

    private FreeStyleBuild freestyle(CloudFrontDeployBuilder builder, Result expected) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("hello", "UTF-8");
                return true;
            }
        });
        p.getBuildersList().add(builder);
        return r.assertBuildStatus(expected, p.scheduleBuild2(0));
    }

    @Test
    public void aPipelineIsToldTheStepsParameterNotTheCommandLinesOption() throws Exception {
        String link = tmp.newFolder("www").toPath().resolve("production").toString();
        WorkflowRun none = failingPipeline("cloudfrontDeploy source: ' ', target: '" + link + "'");
        r.assertLogContains("no source folder: give the build output folder, relative to the workspace"
                + " (source: 'build/site')", none);
        r.assertLogNotContains("--source", none);

        WorkflowRun missing = failingPipeline("cloudfrontDeploy source: 'no-such-build', target: '" + link + "'");
        r.assertLogContains("does not exist; point source: at the folder your build writes the site to", missing);
        r.assertLogNotContains("--source", missing);
    }

    @Test
    public void aFreestyleJobIsToldTheFormsLabel() throws Exception {
        String link = tmp.newFolder("www").toPath().resolve("production").toString();
        FreeStyleBuild none = freestyle(new CloudFrontDeployBuilder(" ", link), Result.FAILURE);
        r.assertLogContains("(\"Source folder\": build/site)", none);
        r.assertLogNotContains("source:", none);
        r.assertLogNotContains("--source", none);

        FreeStyleBuild missing = freestyle(new CloudFrontDeployBuilder("no-such-build", link), Result.FAILURE);
        r.assertLogContains("; point \"Source folder\" at the folder your build writes the site to", missing);
        r.assertLogNotContains("--source", missing);
    }

    /**
     * A build holding {@code passwd.txt -> /etc/passwd} is refused with the remedy in the front end's words, and
     * deployed with a warning once allowed: {@code allowExternalLinks: true} in a Pipeline, the ticked box in a form.
     */
    @Test
    public void aLinkOutsideTheBuildIsRefusedWithTheRemedyInEachFrontEndsWords() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        String link = www.resolve("production").toString();
        WorkflowJob job = r.createProject(WorkflowJob.class);
        hudson.FilePath ws = r.jenkins.getWorkspaceFor(job); // the built-in node's: where node {} runs
        ws.child("site/index.html").write("hello", "UTF-8");
        Files.createSymbolicLink(Path.of(ws.child("site/passwd.txt").getRemote()), Path.of("/etc/passwd"));
        job.setDefinition(new CpsFlowDefinition("node {\n  cloudfrontDeploy source: 'site', target: '" + link
                + "'\n}", true));
        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("1 symbolic link that leads outside the build: 'passwd.txt' -> '/etc/passwd'", refused);
        r.assertLogContains("or give allowExternalLinks: true to deploy them anyway", refused);
        r.assertLogNotContains("--allow-external-links", refused);
        assertEquals("nothing was written to the server", List.of(), List.of(www.toFile().list()));

        job.setDefinition(new CpsFlowDefinition("node {\n  cloudfrontDeploy source: 'site', target: '" + link
                + "', allowExternalLinks: true\n}", true));
        WorkflowRun allowed = r.buildAndAssertStatus(Result.SUCCESS, job);
        r.assertLogContains("'passwd.txt' -> '/etc/passwd' (allowExternalLinks: true)", allowed);
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(www.resolve("production/passwd.txt")));

        Path www2 = tmp.newFolder("www2").toPath();
        CloudFrontDeployBuilder builder = new CloudFrontDeployBuilder("site", www2.resolve("production").toString());
        FreeStyleBuild form = freestyleWithLink(builder, Result.FAILURE);
        r.assertLogContains("or give \"Allow links outside the build\" ticked to deploy them anyway", form);
        r.assertLogNotContains("allowExternalLinks", form);
        r.assertLogNotContains("--allow-external-links", form);
        assertEquals("nothing was written to the server", List.of(), List.of(www2.toFile().list()));
        builder.setAllowExternalLinks(true);
        FreeStyleBuild formAllowed = freestyleWithLink(builder, Result.SUCCESS);
        r.assertLogContains("'passwd.txt' -> '/etc/passwd' (\"Allow links outside the build\" ticked)",
                formAllowed);
    }

    /** A freestyle job whose build writes site/index.html and the link site/passwd.txt -> /etc/passwd. */
    private FreeStyleBuild freestyleWithLink(CloudFrontDeployBuilder builder, Result expected) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws java.io.IOException, InterruptedException {
                build.getWorkspace().child("site/index.html").write("hello", "UTF-8");
                Files.createSymbolicLink(Path.of(build.getWorkspace().child("site/passwd.txt").getRemote()),
                        Path.of("/etc/passwd"));
                return true;
            }
        });
        p.getBuildersList().add(builder);
        return r.assertBuildStatus(expected, p.scheduleBuild2(0));
    }

    @Test
    public void aFirstDeploySaysSoRatherThanNull() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        FreeStyleBuild first = freestyle(new CloudFrontDeployBuilder("site", www.resolve("production").toString()),
                Result.SUCCESS);
        r.assertLogContains("[cloudfront-deploy] release " + CloudFrontDeployRunner.defaultRelease(first)
                + " (first release): 1 added", first);
        r.assertLogNotContains("(was null)", first);
    }

    @Test
    public void aChangedApprovedHostKeyIsUpdatedInTheJobsSettingNotWithSshKeygen() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        String[] other = Files.readString(TestKeys.pub(TestKeys.generate(tmp.getRoot().toPath(), "other_host",
                "ed25519", "", false))).trim().split(" ");
        Path www = tmp.newFolder("www").toPath();
        try (EmbeddedSshServer ssh = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                    new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "web", "tester",
                            new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(Files.readString(key)), null,
                            null));
            String target = ssh.url("tester", www.resolve("production").toString()).replace("tester@", "");
            String replaced = "[127.0.0.1]:" + ssh.port() + " " + other[0] + " " + other[1];

            r.createOnlineSlave(Label.get("remote"));
            WorkflowJob job = r.createProject(WorkflowJob.class);
            job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                    + "  writeFile file: 'site/index.html', text: 'one'\n"
                    + "  cloudfrontDeploy source: 'site', target: '" + target + "', sshCredentialsId: 'web',"
                    + " hostKeyVerification: manuallyProvidedKey('" + replaced + "')\n"
                    + "}", true));
            WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job);
            r.assertLogContains("HAS CHANGED", b);
            r.assertLogContains("update the key in the step's hostKeyVerification: manuallyProvidedKey(…)", b);
            r.assertLogNotContains("ssh-keygen", b);
            r.assertLogNotContains("known_hosts", b); // the file written for the run, gone once it ends

            CloudFrontDeployBuilder builder = new CloudFrontDeployBuilder("site", target);
            builder.setSshCredentialsId("web");
            builder.setHostKeyVerification(new HostKeyVerificationStrategy.ManuallyProvidedKey(replaced));
            FreeStyleBuild f = freestyle(builder, Result.FAILURE);
            r.assertLogContains("update the key in the job's host key setting (\"Host key verification\","
                    + " \"Approved host keys\")", f);
            r.assertLogNotContains("ssh-keygen", f);
            r.assertLogNotContains("known_hosts", f);
            assertEquals("nothing was deployed", List.of(), List.of(www.toFile().list()));
        }
    }

    @Test
    public void thePipelineVocabularyNamesTheStepsParameters() {
        DescribableModel<CloudFrontDeployStep> step = DescribableModel.of(CloudFrontDeployStep.class);
        List<String> unknown = new ArrayList<>();
        for (Vocabulary.Setting s : Vocabulary.Setting.values()) {
            if (Vocabulary.PIPELINE.offers(s)) {
                String name = Vocabulary.PIPELINE.name(s);
                assertTrue(name, name.endsWith(":"));
                if (step.getParameter(name.substring(0, name.length() - 1)) == null) {
                    unknown.add(s + " " + name);
                }
            }
        }
        assertEquals("parameters the step does not have", List.of(), unknown);
    }

    @Test
    public void theFormVocabularyNamesTheFormsLabels() throws Exception {
        String jelly;
        try (InputStream in =
                CloudFrontDeployBuilder.class.getResourceAsStream("CloudFrontDeployBuilder/config.jelly")) {
            assertNotNull(in);
            jelly = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> unknown = new ArrayList<>();
        for (Vocabulary.Setting s : Vocabulary.Setting.values()) {
            if (Vocabulary.FORM.offers(s)) {
                String label = Vocabulary.FORM.name(s);
                if (!jelly.contains("${%" + label.substring(1, label.length() - 1) + "}")) {
                    unknown.add(s + " " + label);
                }
            }
        }
        assertEquals("labels the form does not show", List.of(), unknown);
    }
}
