package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeUrl;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.Pacer;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeEdge;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The edge check against an edge on 127.0.0.1 that caches the production link's files and forgets them when the fake
 * CloudFront completes an invalidation: every changed URL and a sample of unchanged ones are fetched once the
 * deploy's invalidations completed, through gzip and folder redirects, and what still differs is fetched again
 * with a back-off (on a test clock: no sleeping) and reported stale or missing.
 */
public class EdgeVerificationTest {
    private static final String DIST = "E2QWRUHAPOMQZL";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FakeCloudFront cloudFront;
    private FakeEdge edge;
    private Path link;
    private final TestPacer pacer = new TestPacer();

    /** A clock that moves only when the back-off waits, by exactly the wait. */
    static final class TestPacer implements Pacer {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Duration> waits = new ArrayList<>();

        @Override
        public synchronized Instant now() {
            return now;
        }

        @Override
        public synchronized void sleep(Duration delay) {
            waits.add(delay);
            now = now.plus(delay);
        }
    }

    @Before
    public void start() throws Exception {
        cloudFront = FakeCloudFront.start().addDistribution(DIST).completeAfterPolls(1);
        link = tmp.newFolder("www").toPath().resolve("production");
        edge = FakeEdge.start(link, cloudFront, DIST, "/");
    }

    @After
    public void stop() {
        edge.close();
        cloudFront.close();
    }

    private InvalidationOptions.Builder invalidation() {
        return InvalidationOptions.builder()
                .distributions(List.of(DIST))
                .mode(io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode.FILES)
                .aws(new CloudFrontSettings(null, "AKIDEXAMPLE", "fake", null, null, null,
                        cloudFront.endpoint().toString()))
                .polling(Duration.ofMillis(2), Duration.ofMillis(20));
    }

    private EdgeOptions check(int sample) {
        return EdgeOptions.at(edge.base()).withSample(sample, Vocabulary.CLI)
                .withPacing(Duration.ofSeconds(2), Duration.ofSeconds(20), pacer);
    }

    private Path build(String name, Map<String, String> files) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        for (var f : files.entrySet()) {
            Trees.write(b, f.getKey(), f.getValue());
        }
        return b;
    }

    private static Map<String, String> site(String version) {
        Map<String, String> files = new TreeMap<>();
        files.put("index.html", "<h1>home " + version + "</h1>");
        files.put("docs/index.html", "<h1>docs " + version + "</h1>");
        files.put("app.js", ("console.log('" + version + "');\n").repeat(200)); // worth compressing
        for (int i = 0; i < 30; i++) {
            files.put("pages/p" + i + ".html", "page " + i);
        }
        return files;
    }

    private DeployResult deploy(Path build, String release, InvalidationOptions inv, EdgeOptions check,
            RecordingListener l) throws Exception {
        return Deploys.run(Deploys.request(build, release, null, tmp.newFolder().toPath(), link.toString())
                .invalidation(inv).edge(check), l);
    }

    private static EdgeUrl url(DeployResult r, String path) {
        return r.edge().urls().stream().filter(u -> u.url().endsWith(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " not checked: " + r.edge().urls()));
    }

    @Test
    public void theEdgeServesTheNewBuildOnceItsInvalidationsCompletedThroughGzipAndFolderRedirects() throws Exception {
        deploy(build("r1", site("one")), "r1", invalidation().build(), null, new RecordingListener());
        // visitors have loaded the old pages: the edge holds them
        edge.warm("/", "/index.html", "/docs/", "/docs", "/docs/index.html", "/app.js");
        for (int i = 0; i < 30; i++) {
            edge.warm("/pages/p" + i + ".html");
        }

        RecordingListener l = new RecordingListener();
        // --wait not asked for: checking the edge waits for the invalidations by itself
        DeployResult r = deploy(build("r2", site("two")), "r2", invalidation().directoryWithoutSlash(true).build(),
                check(5), l);

        assertTrue(r.edge().verified());
        assertEquals(r.edge().urls().toString(), 0, r.edgeStale() + r.edgeMissing());
        // index.html, /, docs/index.html, /docs/, /docs (a redirect), app.js, and 5 sampled pages
        assertEquals(r.edge().urls().toString(), 11, r.edgeOk());
        EdgeUrl redirected = url(r, "/docs");
        assertEquals(200, redirected.httpStatus());
        assertEquals("docs/index.html", redirected.path());
        EdgeUrl app = url(r, "/app.js");
        assertEquals("fetched from the origin after the invalidation", "Miss from cloudfront", app.xCache());
        assertTrue(app.etag().startsWith("\""));
        assertEquals(1, app.attempts());
        assertTrue("bodies came gzip-compressed and were decoded", edge.gzipped() >= 11);
        EdgeUrl sampled = r.edge().urls().stream().filter(u -> u.path().startsWith("pages/")).findFirst().get();
        assertEquals("an unchanged page is still the cached copy, and it is the build's", "Hit from cloudfront",
                sampled.xCache());
        assertTrue(l.infos.toString(), l.infos.contains("the edge serves the build: 11 URL(s) checked at "
                + edge.base()));
        assertTrue("no wait: the edge was fetched once", pacer.waits.isEmpty());
        assertTrue(l.warnings.toString(), l.warnings.isEmpty());

        JsonNode report = new ObjectMapper().readTree(Path.of(r.reportFile()).toFile()).get("edge");
        assertEquals(edge.base().toString(), report.get("base").asText());
        assertTrue(report.get("verified").asBoolean());
        assertTrue(report.get("reason").isNull());
        assertEquals(11, report.get("ok").asInt());
        assertEquals(0, report.get("stale").asInt());
        assertEquals(0, report.get("missing").asInt());
        JsonNode first = report.get("urls").get(0);
        for (String field : List.of("url", "path", "status", "httpStatus", "age", "xCache", "etag", "attempts")) {
            assertTrue(field + " in " + first, first.has(field));
        }
    }

    @Test
    public void aUrlTheEdgeStillServesStaleIsFetchedAgainWithAGrowingPauseUntilItCatchesUp() throws Exception {
        deploy(build("r1", site("one")), "r1", invalidation().build(), null, new RecordingListener());
        edge.warm("/app.js").lag("/app.js", 3);

        RecordingListener l = new RecordingListener();
        DeployResult r = deploy(build("r2", site("two")), "r2", invalidation().build(), check(0), l);

        EdgeUrl app = url(r, "/app.js");
        assertEquals(EdgeUrl.OK, app.status());
        assertEquals("three stale answers, then the new file", 4, app.attempts());
        assertEquals(4, edge.requests("/app.js"));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), pacer.waits);
        assertEquals("a URL that served the build is not fetched again", 1, url(r, "/index.html").attempts());
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.startsWith("1 URL(s) do not serve the build"
                + " yet (" + edge.base() + "/app.js stale, X-Cache: Hit from cloudfront")));
        assertTrue(l.warnings.toString(), l.warnings.isEmpty());
    }

    @Test
    public void aStaleUrlPastTheTimeoutIsReportedAndOnlyFailOnStaleFailsTheDeploy() throws Exception {
        deploy(build("r1", site("one")), "r1", invalidation().build(), null, new RecordingListener());
        edge.warm("/app.js").lag("/app.js", 1000);

        RecordingListener l = new RecordingListener();
        DeployResult warned = deploy(build("r2", site("two")), "r2", invalidation().build(), check(0), l);
        EdgeUrl app = url(warned, "/app.js");
        assertEquals(EdgeUrl.STALE, app.status());
        assertEquals(200, app.httpStatus());
        assertEquals("Hit from cloudfront", app.xCache());
        assertThat(app.detail(), containsString("instead of the build's"));
        assertEquals(1, warned.edgeStale());
        Duration waited = pacer.waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue("fetched again until the 2 minutes were used: " + pacer.waits,
                waited.compareTo(Duration.ofMinutes(2)) <= 0 && waited.compareTo(Duration.ofSeconds(100)) > 0);
        assertEquals(pacer.waits.size() + 1, app.attempts());
        assertTrue("the pause grows up to 20 s", pacer.waits.contains(Duration.ofSeconds(20)));
        assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.contains("does not serve the build at"
                + " 1 of ") && w.contains("stale " + edge.base() + "/app.js")));
        assertEquals("the deploy itself succeeded", "deployed", warned.outcome().state());

        edge.lag("/app.js", 1000);
        DeployFailedException failed = assertThrows(DeployFailedException.class, () -> deploy(
                build("r3", site("three")), "r3", invalidation().build(), check(0).withFailOnStale(true),
                new RecordingListener()));
        assertThat(failed.getMessage(), containsString("1 stale, 0 missing"));
        assertThat(failed.getMessage(), containsString("stale " + edge.base() + "/app.js"));
        assertEquals("production serves the new build all the same", "r3",
                link.toRealPath().getFileName().toString());
        JsonNode report = new ObjectMapper().readTree(Path.of(failed.result().reportFile()).toFile());
        assertEquals("failed", report.get("outcome").asText());
        assertEquals("verify edge", report.get("failedStage").asText());
        assertEquals(1, report.get("edge").get("stale").asInt());
        JsonNode stale = report.get("edge").get("urls").get(0);
        assertEquals("/app.js", Path.of("/").resolve(stale.get("path").asText()).toString());
        assertEquals("stale", stale.get("status").asText());
    }

    @Test
    public void anErrorCachedForAnAssetThatComesBackIsMissingAndFailsTheDeployWithFailOnStale() throws Exception {
        Map<String, String> one = site("one");
        one.put("chunk.4f2a.js", "chunk");
        deploy(build("r1", one), "r1", invalidation().build(), null, new RecordingListener());
        // removed at once (not kept servable for a deploy, as by default) and its invalidation completed: the edge
        // now caches the origin's 404
        Deploys.run(Deploys.request(build("r2", site("one")), "r2", null, tmp.newFolder().toPath(), link.toString())
                .invalidation(invalidation().build()).keepRemoved(0), new RecordingListener());
        edge.warm("/chunk.4f2a.js");

        // it comes back (a revert): added files are not invalidated by default, so the cached error stays
        DeployFailedException failed = assertThrows(DeployFailedException.class, () -> deploy(build("r3", one), "r3",
                invalidation().build(), check(2).withFailOnStale(true), new RecordingListener()));
        EdgeUrl chunk = url(failed.result(), "/chunk.4f2a.js");
        assertEquals(EdgeUrl.MISSING, chunk.status());
        assertEquals(404, chunk.httpStatus());
        assertEquals("Error from cloudfront", chunk.xCache());
        assertTrue(chunk.attempts() > 2);
        assertEquals(1, failed.result().edgeMissing());
        // the sample is 2 unchanged files, drawn per deploy: 2 or 3 URLs (docs/index.html has two), all the build's
        assertTrue("the sample served the build: " + failed.result().edge().urls(), failed.result().edge().urls()
                .stream().filter(u -> !u.url().endsWith("/chunk.4f2a.js")).allMatch(EdgeUrl::ok));
        assertTrue(failed.result().edgeOk() >= 2);
        assertThat(failed.getMessage(), containsString("missing " + edge.base() + "/chunk.4f2a.js (HTTP 404,"
                + " X-Cache: Error from cloudfront"));

        // --invalidate-added clears the cached error
        DeployResult fixed = Deploys.run(Deploys.request(build("r4", site("four")), "r4", null,
                tmp.newFolder().toPath(), link.toString()).invalidation(invalidation().build()).keepRemoved(0),
                new RecordingListener()); // removed at once again, so that r5 adds it
        assertNull(fixed.edge().base());
        DeployResult again = deploy(build("r5", one), "r5", invalidation().invalidateAdded(true).build(),
                check(0).withFailOnStale(true), new RecordingListener());
        assertEquals(EdgeUrl.OK, url(again, "/chunk.4f2a.js").status());
    }

    @Test
    public void urlsFollowTheUrlPrefixAndTheInvalidationsEncoding() throws Exception {
        edge.close();
        edge = FakeEdge.start(link, cloudFront, DIST, "/blog/");
        Map<String, String> one = site("one");
        one.put("menu/café au lait.html", "one");
        deploy(build("r1", one), "r1", invalidation().urlPrefix("/blog/").build(), null, new RecordingListener());
        edge.warm("/blog/", "/blog/menu/caf%C3%A9%20au%20lait.html");

        Map<String, String> two = site("one");
        two.put("menu/café au lait.html", "two");
        two.put("index.html", "home two");
        DeployResult r = deploy(build("r2", two), "r2", invalidation().urlPrefix("/blog/").build(), check(1),
                new RecordingListener());
        // /blog/, /blog/index.html, the café page, and one sampled file: 1 URL, or 2 when docs/index.html is drawn
        assertEquals(r.edge().urls().toString(), 0, r.edgeStale() + r.edgeMissing());
        assertTrue(r.edge().urls().toString(), r.edgeOk() == 4 || r.edgeOk() == 5);
        assertEquals("menu/café au lait.html", url(r, "/blog/menu/caf%C3%A9%20au%20lait.html").path());
        assertEquals("index.html", url(r, "/blog/").path());
        assertEquals("Miss from cloudfront", url(r, "/blog/").xCache());
        assertTrue(r.edge().urls().stream().allMatch(u -> u.url().startsWith(edge.base() + "/blog/")));
    }

    @Test
    public void noCheckUnlessAskedAndNoneInADryRun() throws Exception {
        DeployResult r = deploy(build("r1", site("one")), "r1", invalidation().build(), null, new RecordingListener());
        assertFalse(r.edge().verified());
        assertThat(r.edge().reason(), containsString("--verify-url"));
        JsonNode report = new ObjectMapper().readTree(Path.of(r.reportFile()).toFile()).get("edge");
        assertFalse(report.get("verified").asBoolean());
        assertEquals(0, edge.requests("/index.html"));

        DeployResult dry = Deploys.run(Deploys.request(build("r2", site("two")), "r2", null, tmp.newFolder().toPath(),
                link.toString()).invalidation(invalidation().build()).edge(check(5)).dryRun(true),
                new RecordingListener());
        assertEquals("dry run", dry.edge().reason());
        assertEquals(0, edge.requests("/index.html"));
    }
}
