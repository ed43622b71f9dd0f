package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ManualInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront.Caller;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeSts;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeSts.Call;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeSts.Issued;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code --role-arn} and {@code --external-id}: the base keys only ever reach STS, whose temporary keys sign every
 * CloudFront request; through the real SDK clients, against {@link FakeSts} and {@link FakeCloudFront}.
 */
public class AssumeRoleTest {
    private static final String DIST = "E2QWRUHAPOMQZL";
    private static final String ROLE = "arn:aws:iam::123456789012:role/deploy/cloudfront-invalidator";
    private static final String EXTERNAL_ID = "build-farm-7";
    private static final String BASE_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String BASE_SECRET = "base-secret-that-only-sts-may-see";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FakeSts sts;
    private FakeCloudFront cloudFront;
    private Path reports;

    @Before
    public void start() throws Exception {
        sts = FakeSts.start();
        cloudFront = FakeCloudFront.start().addDistribution(DIST).completeAfterPolls(1);
        // the SDK's service-specific endpoint setting: it reaches the StsClient the engine builds, and only it
        System.setProperty(FakeSts.ENDPOINT_PROPERTY, sts.endpoint().toString());
        reports = tmp.newFolder("reports").toPath();
    }

    @After
    public void stop() {
        System.clearProperty(FakeSts.ENDPOINT_PROPERTY);
        cloudFront.close();
        sts.close();
    }

    private InvalidationOptions options(String roleArn, String externalId) {
        return InvalidationOptions.builder()
                .distributions(List.of(DIST))
                .mode(PlanMode.FILES)
                .waitForCompletion(true)
                .showMonthlyUsage(true)
                .polling(Duration.ofMillis(2), Duration.ofMillis(20))
                .aws(new CloudFrontSettings(null, BASE_KEY, BASE_SECRET, null, roleArn, externalId,
                        cloudFront.endpoint().toString()))
                .build();
    }

    private InvalidationResult invalidate(InvalidationOptions options, RecordingListener listener) throws Exception {
        return new ManualInvalidation().run(new ManualInvalidation.Request(List.of("/index.html", "/docs/a.html"),
                "the test", null, options, "build-1", reports.toString(), false), listener);
    }

    @Test
    public void theBaseKeysAssumeTheRoleWhoseTemporaryKeysSignEveryCloudFrontRequest() throws Exception {
        InvalidationResult result = invalidate(options(ROLE, EXTERNAL_ID), new RecordingListener());

        assertEquals("one AssumeRole, signed by the base key, for the session cloudfront-deploy",
                List.of(new Call(ROLE, "cloudfront-deploy", EXTERNAL_ID, 3600, BASE_KEY)), sts.calls());
        Issued assumed = sts.issued().get(0);
        assertEquals("every CloudFront request (usage, preflight, create, polls) carries the role's session",
                Set.of(new Caller(assumed.accessKeyId(), assumed.sessionToken())),
                new HashSet<>(cloudFront.callers()));
        assertEquals(Set.of(assumed.accessKeyId()), cloudFront.signers());
        assertEquals(Set.of(assumed.sessionToken()), cloudFront.securityTokens());
        assertEquals(1, cloudFront.requestCount(FakeCloudFront.CREATE));
        assertTrue("usage and preflight", cloudFront.requestCount(FakeCloudFront.LIST) >= 2);
        assertTrue("--wait", cloudFront.requestCount(FakeCloudFront.GET) >= 1);
        assertEquals(new HashSet<>(List.of("/", "/index.html", "/docs/a.html")),
                new HashSet<>(cloudFront.billedPaths(DIST)));
        assertEquals(InvalidationRecord.COMPLETED, result.batches().get(0).status());
    }

    @Test
    public void withoutAnExternalIdNoneIsSent() throws Exception {
        invalidate(options(ROLE, null), new RecordingListener());
        assertEquals(List.of(new Call(ROLE, "cloudfront-deploy", null, 3600, BASE_KEY)), sts.calls());
        assertEquals(Set.of(sts.issued().get(0).accessKeyId()), cloudFront.signers());
    }

    @Test
    public void aDeniedRoleFailsNamingTheRoleAndWhatToFixBeforeAnyCloudFrontRequest() {
        sts.denyRole(ROLE);
        DeployException e = assertThrows(DeployException.class,
                () -> invalidate(options(ROLE, EXTERNAL_ID), new RecordingListener()));
        assertThat(e.getMessage(), startsWith("cannot assume the role " + ROLE + " for CloudFront: STS answered"));
        assertThat(e.getMessage(), containsString("AccessDenied"));
        assertThat(e.getMessage(), containsString("trust policy"));
        assertThat(e.getMessage(), containsString("--external-id"));
        assertEquals("nothing is sent to CloudFront without the role", 0, cloudFront.requestCount());
        assertEquals(0, cloudFront.requestCount(FakeCloudFront.CREATE));
        assertEquals(0, cloudFront.billedCount());
        assertEquals(1, sts.calls().size());
        assertEquals(List.of(), sts.issued());
    }

    @Test
    public void noSecretReachesTheListenerTheReportOrTheError() throws Exception {
        RecordingListener l = new RecordingListener();
        InvalidationResult result = invalidate(options(ROLE, EXTERNAL_ID), l);
        Issued assumed = sts.issued().get(0);
        StringBuilder seen = new StringBuilder()
                .append(l.infos).append(l.warnings).append(l.finished).append(result)
                .append(Files.readString(reports.resolve(ReportWriter.REPORT_FILE)))
                .append(Files.readString(reports.resolve(ReportWriter.CHANGES_FILE)))
                .append(options(ROLE, EXTERNAL_ID));

        sts.denyRole(ROLE);
        RecordingListener denied = new RecordingListener();
        DeployException e = assertThrows(DeployException.class, () -> invalidate(options(ROLE, EXTERNAL_ID), denied));
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        seen.append(denied.infos).append(denied.warnings).append(denied.finished).append(trace);

        assertThat(seen.toString(), containsString(DIST)); // the output was collected at all
        for (String secret : List.of(BASE_SECRET, assumed.secretAccessKey(), assumed.sessionToken())) {
            assertThat(seen.toString(), not(containsString(secret)));
        }
    }
}
