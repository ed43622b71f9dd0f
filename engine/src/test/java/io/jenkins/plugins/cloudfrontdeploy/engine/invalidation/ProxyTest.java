package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.ManualInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeSts;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingProxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A proxy given in the settings carries every CloudFront and STS request, with its credentials; hosts it must not
 * carry are reached directly. Through the real SDK and its Apache client, against the fakes.
 */
public class ProxyTest {
    private static final String DIST = "E2QWRUHAPOMQZL";
    private static final String ROLE = "arn:aws:iam::123456789012:role/deploy/cloudfront-invalidator";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FakeCloudFront cloudFront;

    @Before
    public void start() throws Exception {
        cloudFront = FakeCloudFront.start().addDistribution(DIST).completeAfterPolls(1);
    }

    @After
    public void stop() {
        cloudFront.close();
    }

    private void invalidate(CloudFrontSettings aws) throws Exception {
        InvalidationOptions options = InvalidationOptions.builder()
                .distributions(List.of(DIST))
                .mode(PlanMode.FILES)
                .waitForCompletion(true)
                .polling(Duration.ofMillis(2), Duration.ofMillis(20))
                .aws(aws)
                .build();
        new ManualInvalidation().run(new ManualInvalidation.Request(List.of("/index.html"), "the test", null, options,
                "build-1", tmp.newFolder().toString(), false), new RecordingListener());
    }

    private CloudFrontSettings settings(String roleArn) {
        return new CloudFrontSettings(null, "AKIDEXAMPLE", "secret", null, roleArn, null,
                cloudFront.endpoint().toString());
    }

    /** The paths the proxy forwarded, without the endpoint: one per request. */
    private static List<String> paths(RecordingProxy proxy, String endpoint) {
        return proxy.forwarded().stream().map(r -> r.method() + " " + r.uri().replace(endpoint, "")).toList();
    }

    @Test
    public void everyCloudFrontRequestGoesThroughTheProxy() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.start()) {
            invalidate(settings(null).withProxy(new HttpProxy(proxy.host(), proxy.port(), null, null, null)));
            List<String> seen = paths(proxy, cloudFront.endpoint().toString());
            assertEquals("every request the fake served came through the proxy", cloudFront.requestCount(),
                    seen.size());
            assertTrue(seen.toString(), seen.contains("POST /2020-05-31/distribution/" + DIST + "/invalidation"));
            assertTrue(seen.toString(), seen.stream().anyMatch(s -> s.startsWith("GET /2020-05-31/distribution/"
                    + DIST + "/invalidation/")));
            assertEquals(1, cloudFront.requestCount(FakeCloudFront.CREATE));
        }
    }

    @Test
    public void aProxyThatAsksForCredentialsGetsThem() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.start("builder", "proxy-secret")) {
            HttpProxy withLogin = new HttpProxy(proxy.host(), proxy.port(), "builder", "proxy-secret", List.of());
            assertThat(withLogin.toString(), not(containsString("proxy-secret")));
            invalidate(settings(null).withProxy(withLogin));
            assertTrue("the proxy asked for them", proxy.requests().size() > proxy.forwarded().size());
            assertEquals(cloudFront.requestCount(), proxy.forwarded().size());
            assertEquals(1, cloudFront.requestCount(FakeCloudFront.CREATE));
        }
    }

    @Test
    public void aHostThatMatchesANoProxyPatternIsReachedDirectly() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.start()) {
            // as Jenkins' noProxyHost "127.0.0.*" becomes a pattern
            invalidate(settings(null).withProxy(new HttpProxy(proxy.host(), proxy.port(), null, null,
                    List.of("example\\.com", "127\\.0\\.0\\..*"))));
            assertEquals(List.of(), proxy.requests());
            assertEquals(1, cloudFront.requestCount(FakeCloudFront.CREATE));
        }
    }

    @Test
    public void theRoleIsAssumedThroughTheProxyToo() throws Exception {
        try (FakeSts sts = FakeSts.start(); RecordingProxy proxy = RecordingProxy.start()) {
            System.setProperty(FakeSts.ENDPOINT_PROPERTY, sts.endpoint().toString());
            try {
                invalidate(settings(ROLE).withProxy(new HttpProxy(proxy.host(), proxy.port(), null, null, null)));
            } finally {
                System.clearProperty(FakeSts.ENDPOINT_PROPERTY);
            }
            assertEquals(1, sts.calls().size());
            Set<String> origins = proxy.forwarded().stream()
                    .map(r -> r.uri().substring(0, r.uri().indexOf('/', "http://".length())))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(sts.endpoint().toString(), cloudFront.endpoint().toString()), origins);
        }
    }
}
