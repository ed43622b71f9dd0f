package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.ProxyConfiguration;
import hudson.model.Label;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Jenkins' proxy settings reach the agent's CloudFront client: its requests go through the proxy, with the proxy's
 * credentials, and hosts the settings exclude are reached directly; the proxy password is never printed or stored.
 */
public class JenkinsProxyTest {
    private static final String DIST = "E2QWRUHAPOMQZL";
    private static final String PROXY_PASSWORD = "proxy-password-that-must-not-leak";

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

    private WorkflowRun deployOnAnAgent(FakeCloudFront cloudFront) throws Exception {
        System.setProperty(CloudFrontDeployRunner.ENDPOINT_PROPERTY, cloudFront.endpoint().toString());
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws", "AKIDEXAMPLE", "secret", null));
        Path www = tmp.newFolder("www").toPath();
        r.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "site");
        job.setDefinition(new CpsFlowDefinition("node('remote') {\n"
                + "  writeFile file: 'site/index.html', text: 'one'\n"
                + "  cloudfrontDeploy source: 'site', target: '" + www.resolve("production") + "',"
                + " distributionIds: '" + DIST + "', awsCredentialsId: 'aws', invalidateAdded: true\n"
                + "}", true));
        return r.buildAndAssertSuccess(job);
    }

    @Test
    public void theAgentsCloudFrontCallsGoThroughJenkinsProxyWithItsCredentials() throws Exception {
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST);
                RecordingProxy proxy = RecordingProxy.start("builder", PROXY_PASSWORD)) {
            r.jenkins.setProxy(new ProxyConfiguration(proxy.host(), proxy.port(), "builder", PROXY_PASSWORD,
                    "*.example.com"));
            WorkflowRun b = deployOnAnAgent(cloudFront);

            assertEquals(1, cloudFront.requestCount(FakeCloudFront.CREATE));
            assertEquals("every CloudFront request went through the proxy", cloudFront.requestCount(),
                    proxy.forwarded().size());
            assertTrue(proxy.forwarded().stream().anyMatch(q -> q.method().equals("POST")
                    && q.uri().equals(cloudFront.endpoint() + "/2020-05-31/distribution/" + DIST + "/invalidation")));
            assertTrue("the proxy asked for its credentials", proxy.requests().size() > proxy.forwarded().size());

            r.assertLogNotContains(PROXY_PASSWORD, b);
            try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(f + " holds the proxy password",
                            new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(PROXY_PASSWORD));
                }
            }
        }
    }

    @Test
    public void aHostJenkinsExcludesFromTheProxyIsReachedDirectly() throws Exception {
        try (FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution(DIST);
                RecordingProxy proxy = RecordingProxy.start()) {
            r.jenkins.setProxy(new ProxyConfiguration(proxy.host(), proxy.port(), null, null,
                    "*.example.com\n127.0.0.*"));
            deployOnAnAgent(cloudFront);
            assertEquals(1, cloudFront.requestCount(FakeCloudFront.CREATE));
            assertEquals(List.of(), proxy.requests());
        }
    }
}
