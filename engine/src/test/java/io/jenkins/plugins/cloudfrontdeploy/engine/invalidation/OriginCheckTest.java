package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployFailedException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * Before anything is uploaded, each distribution's origins (GetDistribution, on the fake CloudFront through the real
 * SDK client) must include a target's host or a named origin domain: a warning otherwise, a failure that leaves
 * production and CloudFront untouched with the check required; a denied GetDistribution is optional.
 */
public class OriginCheckTest {
    private static final String DIST = "E2QWRUHAPOMQZL";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FakeCloudFront fake;
    private Path link;

    @Before
    public void start() throws Exception {
        fake = FakeCloudFront.start().addDistribution(DIST);
        link = tmp.newFolder("www").toPath().resolve("production");
    }

    @After
    public void stop() {
        fake.close();
    }

    private InvalidationOptions options(List<String> originDomains, boolean required) {
        return InvalidationOptions.builder()
                .distributions(List.of(DIST))
                .aws(new CloudFrontSettings(null, "AKIDEXAMPLE", "fake", null, null, null, fake.endpoint().toString()))
                .polling(Duration.ofMillis(2), Duration.ofMillis(20))
                .build()
                .withOrigin(originDomains, required);
    }

    private DeployResult deploy(String release, String content, InvalidationOptions inv, Vocabulary words,
            RecordingListener l) throws Exception {
        Path build = tmp.newFolder("build-" + release).toPath();
        Trees.write(build, "index.html", content);
        Trees.write(build, "a.css", content);
        return Deploys.run(Deploys.request(build, release, null, tmp.newFolder().toPath(), link.toString())
                .invalidation(inv).vocabulary(words), l);
    }

    @Test
    public void aDistributionThatFetchesFromAnotherSiteIsWarnedAboutOrRefusedBeforeAnyUpload() throws Exception {
        fake.origins(DIST, "other-site.example.org", "assets.s3.amazonaws.com");
        RecordingListener l = new RecordingListener();
        deploy("r1", "one", options(List.of("origin.example.com"), false), Vocabulary.CLI, l);
        assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.startsWith("the CloudFront distribution "
                + DIST + " fetches from other-site.example.org, assets.s3.amazonaws.com, none of which is"
                + " origin.example.com") && w.contains("(--origin-domain other-site.example.org)")));

        DeployFailedException refused = assertThrows(DeployFailedException.class, () -> deploy("r2", "two",
                options(List.of("origin.example.com"), true), Vocabulary.PIPELINE, new RecordingListener()));
        assertThat(refused.getMessage(), containsString("nothing was uploaded or invalidated"));
        assertThat(refused.getMessage(), containsString("(originDomain: 'other-site.example.org')"));
        assertThat(refused.getMessage(), not(containsString("--")));
        assertEquals("production untouched", "r1", link.toRealPath().getFileName().toString());
        assertFalse("nothing staged", Files.exists(link.resolveSibling("r2")));
        assertEquals("nothing invalidated", 0, fake.billedCount());
    }

    @Test
    public void aMatchingOriginPassesWhateverItsCaseOrTrailingDot() throws Exception {
        fake.origins(DIST, "assets.s3.amazonaws.com", "Origin.Example.COM.");
        RecordingListener l = new RecordingListener();
        deploy("r1", "one", options(List.of("origin.example.com"), true), Vocabulary.CLI, l);
        deploy("r2", "two", options(List.of("origin.example.com"), true), Vocabulary.CLI, l);
        assertTrue(l.warnings.toString(), l.warnings.isEmpty());
        assertTrue(l.infos.toString(), l.infos.contains(DIST + " fetches from assets.s3.amazonaws.com,"
                + " Origin.Example.COM.: it serves this site"));
        assertTrue("the second deploy invalidated", fake.billedCount() > 0);
    }

    @Test
    public void aDeniedGetDistributionIsAWarningThatThePermissionIsOptionalUnlessTheCheckIsRequired() throws Exception {
        fake.denyGetDistribution(DIST);
        RecordingListener l = new RecordingListener();
        deploy("r1", "one", options(List.of("origin.example.com"), false), Vocabulary.CLI, l);
        assertTrue(l.warnings.toString(), l.warnings.contains("cloudfront:GetDistribution was denied on " + DIST
                + ": the check that the distribution serves this site was skipped (the permission is optional;"
                + " grant it to have the check)"));

        DeployFailedException refused = assertThrows(DeployFailedException.class, () -> deploy("r2", "two",
                options(List.of("origin.example.com"), true), Vocabulary.CLI, new RecordingListener()));
        assertThat(refused.getMessage(), containsString("and --check-origin needs it"));
        assertEquals("r1", link.toRealPath().getFileName().toString());
    }

    @Test
    public void aLocalTargetWithoutOriginDomainsIsNotCheckedUnlessRequired() throws Exception {
        fake.origins(DIST, "elsewhere.example.org");
        RecordingListener l = new RecordingListener();
        deploy("r1", "one", options(List.of(), false), Vocabulary.CLI, l);
        assertEquals(0, fake.requestCount(FakeCloudFront.GET_DISTRIBUTION));
        assertTrue(l.warnings.toString(), l.warnings.isEmpty());

        DeployFailedException refused = assertThrows(DeployFailedException.class, () -> deploy("r2", "two",
                options(List.of(), true), Vocabulary.FORM, new RecordingListener()));
        assertThat(refused.getMessage(), containsString("\"Fail if the distribution does not serve the target\""
                + " ticked needs a name"));
        assertThat(refused.getMessage(), containsString("\"Origin domains\""));
    }

    @Test
    public void aTargetsHostMatchesAnOrigin() throws Exception {
        fake.origins(DIST, "web1.example.com.");
        OriginCheck check = new OriginCheck(new RecordingListener(), Vocabulary.CLI);
        try (CloudFrontClient client = fake.client()) {
            check.check(client, List.of(DIST), List.of("WEB1.example.com"), List.of(), true);
            DeployException e = assertThrows(DeployException.class,
                    () -> check.check(client, List.of(DIST), List.of("web2.example.com"), List.of(), true));
            assertThat(e.getMessage(), containsString("fetches from web1.example.com., none of which is"
                    + " web2.example.com"));
        }
    }
}
