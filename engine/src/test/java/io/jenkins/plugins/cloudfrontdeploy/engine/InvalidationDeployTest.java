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
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Deploys whose changes are invalidated in a fake CloudFront, through the real SDK client: exactly the planned paths,
 * in batches within the in-progress limits, followed to completion; never lost and never billed twice, whatever
 * fails in between.
 */
public class InvalidationDeployTest {
    private static final String DIST = "E2QWRUHAPOMQZL";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FakeCloudFront fake;
    private Path www;
    private Path link;

    @Before
    public void start() throws Exception {
        fake = FakeCloudFront.start().addDistribution(DIST);
        www = tmp.newFolder("www").toPath();
        link = www.resolve("production");
    }

    @After
    public void stop() {
        fake.close();
    }

    private InvalidationOptions.Builder options() {
        return InvalidationOptions.builder()
                .distributions(List.of(DIST))
                .aws(new CloudFrontSettings(null, "AKIDEXAMPLE", "not-a-secret-but-kept-out", null, null, null,
                        fake.endpoint().toString()))
                .polling(Duration.ofMillis(2), Duration.ofMillis(20));
    }

    /** Ten folders of three pages and an index; the first {@code changed} are all new, the first {@code gone} lose a page. */
    private Path build(String name, int changed, int gone) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        for (int d = 0; d < 10; d++) {
            for (int p = 0; p < 3; p++) {
                if (d < gone && p == 2) {
                    continue;
                }
                Trees.write(b, "d" + d + "/p" + p + ".html", (d < changed ? name : "same") + " " + d + "/" + p);
            }
            Trees.write(b, "d" + d + "/index.html", "index " + d + (d < changed ? name : ""));
        }
        Trees.write(b, "index.html", "home " + name);
        return b;
    }

    private DeployResult deploy(Path build, String release, String target, SshSettings ssh,
            InvalidationOptions invalidation, RecordingListener l) throws Exception {
        return Deploys.run(Deploys.request(build, release, ssh, tmp.newFolder().toPath(), target)
                .invalidation(invalidation), l);
    }

    @Test
    public void aDeployOverOpenSshInvalidatesThePlannedPathsInBatchesWithinTheLimitsAndWaits() throws Exception {
        fake.limits(2, 15).completeAfterPolls(2);
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath())) {
            SshSettings ssh = SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts()).build();
            String target = sshd.url(link.toString());
            DeployResult first = deploy(build("r1", 0, 0), "r1", target, ssh, options().build(),
                    new RecordingListener());
            assertEquals("a first deploy only adds: nothing to invalidate", 0, fake.billedCount());
            assertEquals(0, first.invalidation().billedPaths());

            RecordingListener l = new RecordingListener();
            // d0..d3 change wholly (auto makes each a wildcard), d4 and d5 lose a page; 2 file paths per batch and
            // 2 in progress at most, so the second batch must wait for the first
            Path b2 = build("r2", 4, 6);
            InvalidationOptions waiting = options().batchSize(2).waitForCompletion(true).build();
            DeployResult second = deploy(b2, "r2", target, ssh, waiting, l);

            List<String> planned = second.invalidation().plan().paths().stream().map(p -> p.path()).toList();
            assertEquals(new TreeSet<>(List.of("/", "/d0/*", "/d1/*", "/d2/*", "/d3/*", "/d4/p2.html",
                    "/d5/p2.html", "/index.html")), new TreeSet<>(planned));
            assertEquals("exactly the planned paths, each billed once", planned.size(), fake.billedCount());
            assertEquals(new TreeSet<>(planned), new TreeSet<>(fake.billedPaths(DIST)));
            assertEquals("file paths in progress at once", 2, fake.peakFilesInProgress(DIST));
            assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("too many invalidations")));
            for (InvalidationRecord r : second.invalidation().batches()) {
                assertEquals(InvalidationRecord.COMPLETED, r.status());
            }
            assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.matches(
                    "batch 1/\\d+ \\(\\d+ paths?\\) on " + DIST + " I\\w+ InProgress \\d+s")));
            assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.matches(
                    "batch \\d+/\\d+ \\(\\d+ paths?\\) on " + DIST + " I\\w+ Completed \\d+s")));

            JsonNode report = new ObjectMapper().readTree(Path.of(second.reportFile()).toFile());
            JsonNode inv = report.get("invalidation");
            assertEquals(planned.size(), inv.get("billedPaths").asInt());
            assertEquals("one path per URL", 24, inv.get("estimates").get("files").get("billedPaths").asInt());
            assertEquals(1, inv.get("estimates").get("all").get("billedPaths").asInt());
            assertTrue(inv.get("estimates").get("all").get("collateralFiles").asInt() > 0);
            for (JsonNode b : inv.get("batches")) {
                assertEquals("Completed", b.get("status").asText());
                assertTrue(b.get("id").asText().startsWith("I"));
            }
            String journal = Files.readString(www.resolve(".cloudfront-deploy/releases/r2.json"));
            assertThat(journal, containsString("\"callerReference\""));
            assertThat(journal, containsString("\"Completed\""));
            assertThat("secrets stay out of reports and journals", report.toString() + journal + l.infos,
                    org.hamcrest.CoreMatchers.not(containsString("not-a-secret-but-kept-out")));
        }
    }

    @Test
    public void aRerunAfterACrashWhileWaitingBillsNothingTwice() throws Exception {
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        fake.completeAfterPolls(1_000_000);
        Path b2 = build("r2", 2, 3);
        InvalidationOptions impatient = options().batchSize(2).waitForCompletion(true)
                .waitTimeout(Duration.ofMillis(200)).build();
        DeployException e = assertThrows(DeployException.class,
                () -> deploy(b2, "r2", link.toString(), null, impatient, new RecordingListener()));
        assertThat(e.getMessage(), containsString("still in progress"));
        assertEquals("r2", Files.readSymbolicLink(link).toString());
        int billed = fake.billedCount();
        assertTrue(billed > 0);

        fake.completeAfterPolls(1);
        RecordingListener l = new RecordingListener();
        DeployResult again = deploy(b2, "r2", link.toString(), null, options().batchSize(2).waitForCompletion(true)
                .build(), l);
        assertEquals("the re-run resubmits nothing new", billed, fake.billedCount());
        assertEquals(billed, again.invalidation().billedPaths());
        assertTrue(l.infos.stream().anyMatch(i -> i.startsWith("resuming the")));
        again.invalidation().batches().forEach(r -> assertEquals(InvalidationRecord.COMPLETED, r.status()));
    }

    @Test
    public void aLostResponseIsRetriedUnderTheSameCallerReference() throws Exception {
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        fake.loseNextResponses(1);
        DeployResult r = deploy(build("r2", 1, 0), "r2", link.toString(), null, options().build(),
                new RecordingListener());
        assertEquals(r.invalidation().plan().billedPaths(), fake.billedCount());
        assertEquals(1, fake.invalidations(DIST).size());
    }

    @Test
    public void faultsOnEveryFifthRequestOverManyDeploysLoseNothingAndBillNothingTwice() throws Exception {
        deploy(build("r0", 0, 0), "r0", link.toString(), null, options().build(), new RecordingListener());
        fake.faultRate(0.2, 42).completeAfterPolls(1);
        long expected = 0;
        Set<String> refs = new HashSet<>();
        for (int i = 1; i <= 12; i++) {
            Path b = build("r" + i, 1 + i % 3, i % 2);
            DeployResult done = null;
            for (int attempt = 0; attempt < 10 && done == null; attempt++) {
                try {
                    done = deploy(b, "r" + i, link.toString(), null, options().batchSize(2).waitForCompletion(true)
                            .build(), new RecordingListener());
                } catch (DeployException e) {
                    assertThat(e.getMessage(), containsString("CloudFront"));
                }
            }
            assertTrue("deploy r" + i + " never got through", done != null);
            expected += done.invalidation().plan().billedPaths();
            for (InvalidationRecord r : done.invalidation().batches()) {
                assertTrue("caller references are unique per batch", refs.add(r.callerReference()));
            }
        }
        assertTrue("faults were injected: " + fake.requestCount(), fake.requestCount() > 50);
        assertEquals("0 lost, 0 billed twice", expected, fake.billedCount());
    }

    @Test
    public void anUnknownOrForbiddenDistributionFailsBeforeAnyPathIsSent() throws Exception {
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        InvalidationOptions unknown = options().distributions(List.of("ENOSUCH1")).build();
        DeployException e = assertThrows(DeployException.class,
                () -> deploy(build("r2", 1, 0), "r2", link.toString(), null, unknown, new RecordingListener()));
        assertThat(e.getMessage(), containsString("ENOSUCH1 does not exist"));
        assertEquals("found before anything was written", "r1", Files.readSymbolicLink(link).toString());
        assertTrue(!Files.exists(www.resolve("r2")));
        fake.denyAccess(DIST);
        e = assertThrows(DeployException.class,
                () -> deploy(build("r3", 1, 0), "r3", link.toString(), null, options().build(),
                        new RecordingListener()));
        assertThat(e.getMessage(), containsString("cloudfront:CreateInvalidation"));
        assertEquals(0, fake.requestCount(FakeCloudFront.CREATE));
    }

    @Test
    public void aDryRunPlansAndCostsWithoutCallingAws() throws Exception {
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        int before = fake.requestCount();
        DeployResult dry = Deploys.run(Deploys.request(build("r2", 10, 0), "r2", null, tmp.newFolder().toPath(),
                link.toString()).dryRun(true).invalidation(options().build()), new RecordingListener());
        assertEquals(before, fake.requestCount());
        assertEquals(List.of("/*"), dry.invalidation().plan().paths().stream().map(p -> p.path()).toList());
        List<String> ids = new ArrayList<>();
        dry.invalidation().batches().forEach(b -> ids.add(b.id()));
        assertEquals(java.util.Collections.singletonList(null), ids);
    }

    @Test
    public void monthlyUsageCountsWhatWasSubmittedThisMonthAndPricesTheRest() throws Exception {
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        DeployResult second = deploy(build("r2", 0, 4), "r2", link.toString(), null, options().mode(
                io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode.FILES).build(),
                new RecordingListener());
        long used = second.invalidation().billedPaths();
        assertEquals(6, used); // d0..d3/p2.html removed, and the root index changed: /index.html and /

        InvalidationOptions counting = options().showMonthlyUsage(true).pricing(
                new io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.Pricing(new java.math.BigDecimal("0.005"),
                        6))
                .mode(io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode.FILES).build();
        int creates = fake.requestCount(FakeCloudFront.CREATE);
        RecordingListener l = new RecordingListener();
        DeployResult dry = Deploys.run(Deploys.request(build("r3", 0, 6), "r3", null, tmp.newFolder().toPath(),
                link.toString()).dryRun(true).invalidation(counting), l);
        assertEquals("the dry run reads, and sends nothing", creates, fake.requestCount(FakeCloudFront.CREATE));
        assertEquals(used, dry.invalidation().usedThisMonth());
        // 4 paths (d4 and d5/p2.html, the root's two URLs) with none of the 6 free paths left: 4 x $0.005
        assertEquals(4, dry.invalidation().plan().billedPaths());
        assertEquals(0, new java.math.BigDecimal("0.020").compareTo(
                dry.invalidation().plan().estimates().get(dry.invalidation().plan().mode()).cost()));
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.startsWith(used + " invalidation paths"
                + " already submitted this month")));
        assertTrue("a dry run writes nothing", !Files.exists(www.resolve(".cloudfront-deploy/invalidation-usage.json")));

        deploy(build("r3b", 0, 6), "r3", link.toString(), null, counting, new RecordingListener());
        String cache = Files.readString(www.resolve(".cloudfront-deploy/invalidation-usage.json"));
        assertThat("each invalidation's count is kept for the next time", cache, containsString(DIST + "/I"));
        int gets = fake.requestCount(FakeCloudFront.GET);
        DeployResult next = Deploys.run(Deploys.request(build("r4", 0, 7), "r4", null, tmp.newFolder().toPath(),
                link.toString()).dryRun(true).invalidation(counting), new RecordingListener());
        assertEquals(used + 4, next.invalidation().usedThisMonth());
        assertEquals("only r3's invalidation, new since the cache, is fetched", gets + 1,
                fake.requestCount(FakeCloudFront.GET));
    }

    @Test
    public void aRollbackInvalidatesWhatItChangesBack() throws Exception {
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        deploy(build("r2", 0, 1), "r2", link.toString(), null, options().build(), new RecordingListener());
        assertEquals(List.of("/", "/d0/p2.html", "/index.html"), sorted(fake.billedPaths(DIST)));
        DeployResult back = new Rollback().run(new RollbackRequest(List.of(
                io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget.parse(link.toString())), null, null, null,
                tmp.newFolder().toString(), null, false, false, options().waitForCompletion(true).build()),
                new RecordingListener());
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        // d0/p2.html comes back (added: not invalidated unless asked); the root index changes back
        assertEquals(List.of("/", "/index.html"), sorted(back.invalidation().plan().paths().stream()
                .map(p -> p.path()).toList()));
        assertEquals("a new invalidation, not r2's handed back", 5, fake.billedCount());
        assertEquals(2, fake.invalidations(DIST).size());
    }

    @Test
    public void aRollbackThatDiedWhileWaitingIsFinishedByRunningItAgain() throws Exception {
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        deploy(build("r2", 1, 0), "r2", link.toString(), null, options().build(), new RecordingListener());
        int billedByDeploys = fake.billedCount();
        fake.completeAfterPolls(1_000_000);
        Path reports = tmp.newFolder().toPath();
        RollbackRequest impatient = new RollbackRequest(List.of(
                io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget.parse(link.toString())), null, null, null,
                reports.toString(), null, false, false, options().waitForCompletion(true)
                .waitTimeout(Duration.ofMillis(200)).build());
        DeployFailedException e = assertThrows(DeployFailedException.class,
                () -> new Rollback().run(impatient, new RecordingListener()));
        assertThat(e.getMessage(), containsString("production is back on r1"));
        assertThat(e.getMessage(), containsString("Run the same rollback again"));
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        // what a front end shows of it: failed in invalidate, switched, its batches pending
        assertTrue(e.result().outcome().failed());
        assertEquals("invalidate", e.result().outcome().failedStage());
        assertTrue(e.result().hosts().get(0).switched());
        JsonNode report = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        assertEquals("failed", report.get("outcome").asText());
        assertEquals("r1", report.get("hosts").get(0).get("production").asText());
        assertEquals("every batch was sent", 0, report.get("invalidation").get("pending").asInt());
        assertEquals("and is still in progress", "InProgress",
                report.get("invalidation").get("batches").get(0).get("status").asText());
        int billed = fake.billedCount();
        assertTrue("the rollback's batches were sent", billed > billedByDeploys);

        fake.completeAfterPolls(1);
        RecordingListener l = new RecordingListener();
        DeployResult again = new Rollback().run(new RollbackRequest(List.of(
                io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget.parse(link.toString())), null, null, null,
                tmp.newFolder().toString(), null, false, false, options().waitForCompletion(true).build()), l);
        assertEquals("finished, not rolled back further", "r1", Files.readSymbolicLink(link).toString());
        assertEquals("r2", again.previousRelease());
        assertEquals("nothing billed twice", billed, fake.billedCount());
        again.invalidation().batches().forEach(b -> assertEquals(InvalidationRecord.COMPLETED, b.status()));
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("did not finish; finishing it")));
        RecordingListener done = new RecordingListener();
        DeployResult noOp = new Rollback().run(new RollbackRequest(List.of(
                io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget.parse(link.toString())), "r1", null, null,
                tmp.newFolder().toString(), null, false, false, options().waitForCompletion(true).build()), done);
        assertTrue(done.infos.toString(), done.infos.stream().anyMatch(i -> i.contains("nothing to do")));
        assertEquals("done now: r1 stays live", "r1", Files.readSymbolicLink(link).toString());
        assertNull("nothing sent again", noOp.invalidation());
        assertEquals(billed, fake.billedCount());
    }

    @Test
    public void everyDistributionGetsThePlanUnderItsOwnCallerReferences() throws Exception {
        fake.addDistribution("E2SECOND");
        deploy(build("r1", 0, 0), "r1", link.toString(), null, options().build(), new RecordingListener());
        InvalidationOptions both = options().distributions(List.of(DIST, "E2SECOND")).waitForCompletion(true)
                .pricing(new io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.Pricing(
                        new java.math.BigDecimal("0.005"), 5)).build();
        DeployResult r = deploy(build("r2", 2, 0), "r2", link.toString(), null, both, new RecordingListener());
        assertEquals(sorted(fake.billedPaths(DIST)), sorted(fake.billedPaths("E2SECOND")));
        assertEquals(List.of("/", "/d0/*", "/d1/*", "/index.html"), sorted(fake.billedPaths(DIST)));
        assertEquals(8, r.invalidation().billedPaths());
        assertEquals("both distributions' 8 paths priced together: 3 past the 5 free", 0,
                new java.math.BigDecimal("0.015").compareTo(r.invalidation().plan().estimates()
                        .get(r.invalidation().plan().mode()).cost()));
        assertEquals(2, r.invalidation().batches().stream().map(InvalidationRecord::callerReference).distinct()
                .count());
    }

    private static List<String> sorted(List<String> paths) {
        return new ArrayList<>(new TreeSet<>(paths));
    }
}
