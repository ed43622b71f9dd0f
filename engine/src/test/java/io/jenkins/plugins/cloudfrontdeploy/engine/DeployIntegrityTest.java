package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Exit 0 means production serves exactly this build and every changed URL was invalidated for this deploy, through
 * re-runs after failures, re-runs with another build, and reused release names; a failure leaves reports that say
 * what is live and what is pending.
 */
public class DeployIntegrityTest {
    private static final String DIST = "E2QWRUHAPOMQZL";
    private static final String DIST2 = "E1SECONDDISTRO";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(180);

    private FakeCloudFront fake;
    private Path link;

    @Before
    public void start() throws Exception {
        fake = FakeCloudFront.start().addDistribution(DIST).addDistribution(DIST2);
        link = tmp.newFolder("www").toPath().resolve("production");
    }

    @After
    public void stop() {
        fake.close();
    }

    private InvalidationOptions.Builder cloudFront(String... distributions) {
        return InvalidationOptions.builder()
                .distributions(List.of(distributions))
                .aws(new CloudFrontSettings(null, "AKIDEXAMPLE", "not-a-secret-but-kept-out", null, null, null,
                        fake.endpoint().toString()))
                .polling(Duration.ofMillis(2), Duration.ofMillis(20));
    }

    /** A site of a few pages; {@code index} is the home page's text. */
    private Path build(String name, String index) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        Trees.write(b, "index.html", index);
        Trees.write(b, "docs/index.html", "docs\n");
        Trees.write(b, "app.js", "console.log(1)\n");
        return b;
    }

    private DeployRequest.Builder request(Path build, String release, Path reportDir) {
        return Deploys.request(build, release, null, reportDir, link.toString());
    }

    private DeployRequest.Builder request(Path build, String release) throws Exception {
        return request(build, release, tmp.newFolder().toPath());
    }

    /** A deploy that dies once its release is verified, before any production link moves. */
    private static final class DiesAfterVerify extends RecordingListener {
        @Override
        public void stageFinished(Stage stage, String summary) {
            super.stageFinished(stage, summary);
            if (stage == Stage.VERIFY) {
                throw new IllegalStateException("killed after verify");
            }
        }
    }

    private String live() throws Exception {
        return Files.readSymbolicLink(link).toString();
    }

    /** What production serves: the tree of the release its link points at. */
    private Map<String, String> served() throws Exception {
        return Trees.snapshot(link.resolveSibling(live()));
    }

    @Test
    public void aReleaseResumedAtTheSwitchIsProvenAgainstTheCurrentBuildOverOpenSsh() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath())) {
            SshSettings ssh = SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts())
                    .build();
            resumedAtTheSwitch(ssh, sshd.url(link.toString()));
        }
    }

    @Test
    public void aReleaseResumedAtTheSwitchIsProvenAgainstTheCurrentBuildLocally() throws Exception {
        resumedAtTheSwitch(null, link.toString());
    }

    private void resumedAtTheSwitch(SshSettings ssh, String target) throws Exception {
        Deploys.run(Deploys.request(build("b0", "home 0\n"), "r1", ssh, tmp.newFolder().toPath(), target),
                new RecordingListener());
        Path b1 = build("b1", "home 1\n");
        assertThrows(DeployFailedException.class, () -> Deploys.run(
                Deploys.request(b1, "r2", ssh, tmp.newFolder().toPath(), target), new DiesAfterVerify()));
        assertEquals("r1", live());

        // the same release from another build: one file differs, with the same size
        Path b2 = build("b2", "home 2\n");
        RecordingListener l = new RecordingListener();
        DeployResult again = Deploys.run(Deploys.request(b2, "r2", ssh, tmp.newFolder().toPath(), target), l);
        assertEquals("r2", live());
        assertEquals("production serves exactly the build of this run", Trees.snapshot(b2), served());
        assertEquals(new TreeSet<>(List.of("M index.html")), Deploys.lines(again));
        assertThat(l.infos.toString(), containsString("1 file"));

        // and the manifest stored with r2 is true: the next deploy of the same build changes nothing
        DeployResult next = Deploys.run(Deploys.request(b2, "r3", ssh, tmp.newFolder().toPath(), target),
                new RecordingListener());
        assertEquals(new TreeSet<>(), Deploys.lines(next));
        assertEquals(Trees.snapshot(b2), served());

        // another size: restaged as well, not refused forever
        Path b3 = build("b3", "home 3, longer\n");
        assertThrows(DeployFailedException.class, () -> Deploys.run(
                Deploys.request(b3, "r4", ssh, tmp.newFolder().toPath(), target), new DiesAfterVerify()));
        Path b4 = build("b4", "home 4, longer still\n");
        Deploys.run(Deploys.request(b4, "r4", ssh, tmp.newFolder().toPath(), target), new RecordingListener());
        assertEquals("r4", live());
        assertEquals(Trees.snapshot(b4), served());
    }

    @Test
    public void aReusedReleaseNameGetsInvalidationsOfItsOwn() throws Exception {
        InvalidationOptions cf = cloudFront(DIST).build();
        String[] releases = {"r0", "a", "b", "c"};
        for (int i = 0; i < releases.length; i++) {
            Deploys.run(request(build(releases[i], "home " + i + "\n"), releases[i]).keep(2).invalidation(cf),
                    new RecordingListener());
        }
        int before = fake.invalidations(DIST).size();
        assertEquals("a, b and c each invalidated the home page", 3, before);
        assertFalse("retention deleted the first a", Files.exists(link.resolveSibling("a")));

        // "a" again, with other content: the same paths as the first "a" (/ and /index.html), but a new deploy
        DeployResult again = Deploys.run(request(build("a2", "home 9\n"), "a").keep(2).invalidation(cf),
                new RecordingListener());
        assertEquals(Trees.snapshot(link.resolveSibling("a")), served());
        assertEquals("the new content of a is invalidated anew", before + 1, fake.invalidations(DIST).size());
        assertEquals(new TreeSet<>(List.of("/", "/index.html")),
                new TreeSet<>(fake.invalidations(DIST).get(before).paths()));
        assertEquals(fake.invalidations(DIST).get(before).id(), again.invalidation().batches().get(0).id());
    }

    @Test
    public void aLiveReleaseRunAgainWithAnotherBuildIsRefusedNamingTheFiles() throws Exception {
        Path b1 = build("b1", "home 1\n");
        Deploys.run(request(b1, "r1"), new RecordingListener());
        Path b2 = build("b2", "home 2\n");
        Trees.write(b2, "new.html", "new\n");
        Deploys.run(request(b2, "r2"), new RecordingListener());
        Map<String, String> served = served();

        Path b3 = build("b3", "home 3\n");
        Trees.write(b3, "other.html", "other\n");
        Path report = tmp.newFolder().toPath();
        DeployException e = assertThrows(DeployException.class,
                () -> Deploys.run(request(b3, "r2", report).invalidation(cloudFront(DIST).build()),
                        new RecordingListener()));
        assertThat(e.getMessage(), containsString("release r2 is already live"));
        assertThat(e.getMessage(), containsString("index.html"));
        assertThat(e.getMessage(), containsString("other.html"));
        assertThat(e.getMessage(), containsString("new release"));
        assertEquals("r2", live());
        assertEquals(served, served());
        assertEquals("nothing invalidated", 0, fake.billedCount());
        assertEquals("", Files.readString(report.resolve("changes.txt")));

        // the same build again is a no-op that reports the changes it made against r1
        DeployResult same = Deploys.run(request(b2, "r2"), new RecordingListener());
        assertEquals(new TreeSet<>(List.of("A new.html", "M index.html")), Deploys.lines(same));
    }

    @Test
    public void aFailedInvalidationLeavesAReportOfWhatIsLiveAndPendingAndAReRunFinishesIt() throws Exception {
        Path old = tmp.newFolder("old-report").toPath();
        Deploys.run(request(build("b1", "home 1\n"), "r1", old), new RecordingListener());
        String previousChanges = Files.readString(old.resolve("changes.txt"));

        RecordingListener denyAfterSwitch = new RecordingListener() {
            @Override
            public void stageFinished(Stage stage, String summary) {
                super.stageFinished(stage, summary);
                if (stage == Stage.SWITCH) {
                    fake.denyAccess(DIST);
                }
            }
        };
        Path b2 = build("b2", "home 2\n");
        DeployException e = assertThrows(DeployException.class,
                () -> Deploys.run(request(b2, "r2", old).invalidation(cloudFront(DIST).build()), denyAfterSwitch));
        assertThat(e.getMessage(), containsString("denied"));
        assertThat(e.getMessage(), containsString("production serves r2"));
        assertThat(e.getMessage(), containsString("run the same deploy again"));
        assertEquals("r2", live());

        assertThat(Files.readString(old.resolve("changes.txt")), not(previousChanges));
        assertEquals("M\tindex.html\n", Files.readString(old.resolve("changes.txt")));
        JsonNode report = new ObjectMapper().readTree(old.resolve("report.json").toFile());
        assertEquals("failed", report.get("outcome").asText());
        assertEquals("invalidate", report.get("failedStage").asText());
        assertThat(report.get("error").asText(), containsString("denied"));
        assertEquals("r2", report.get("release").asText());
        assertEquals("r2", report.get("hosts").get(0).get("production").asText());
        assertTrue(report.get("hosts").get(0).get("switched").asBoolean());
        assertEquals("the planned batch is pending", 1, report.get("invalidation").get("pending").asInt());

        Path journal = link.resolveSibling(".cloudfront-deploy/releases/r2.json");
        assertThat(Files.readString(journal), containsString("\"switched\""));
        assertThat(Files.readString(journal), not(containsString("\"invalidated\"")));

        fake.allowAccess(DIST);
        DeployResult done = Deploys.run(request(b2, "r2").invalidation(cloudFront(DIST).build()),
                new RecordingListener());
        assertEquals(new TreeSet<>(List.of("/", "/index.html")), new TreeSet<>(fake.billedPaths(DIST)));
        assertEquals(new TreeSet<>(List.of("M index.html")), Deploys.lines(done));
        assertThat(Files.readString(journal), containsString("\"invalidated\""));
        JsonNode finished = new ObjectMapper().readTree(Path.of(done.reportFile()).toFile());
        assertEquals("deployed", finished.get("outcome").asText());
        assertEquals(0, finished.get("invalidation").get("pending").asInt());
    }

    @Test
    public void anUnwritableReportFolderIsFoundBeforeAnythingIsWritten() throws Exception {
        Deploys.run(request(build("b1", "home 1\n"), "r1"), new RecordingListener());
        Path notAFolder = tmp.newFile("a-file").toPath();
        DeployException e = assertThrows(DeployException.class, () -> Deploys.run(
                request(build("b2", "home 2\n"), "r2", notAFolder.resolve("reports")), new RecordingListener()));
        assertThat(e.getMessage(), containsString(notAFolder.resolve("reports").toString()));
        assertThat(e.getMessage(), containsString("--report-dir"));
        assertEquals("r1", live());
        assertFalse("no release folder was started", Files.exists(link.resolveSibling("r2")));
        assertFalse(Files.exists(link.resolveSibling(".cloudfront-deploy/releases/r2.json")));
    }

    @Test
    public void aDistributionAddedOnAReRunGetsTheBatchesToo() throws Exception {
        Deploys.run(request(build("b1", "home 1\n"), "r1"), new RecordingListener());
        Path b2 = build("b2", "home 2\n");
        Deploys.run(request(b2, "r2").invalidation(cloudFront(DIST).build()), new RecordingListener());
        assertEquals(2, fake.billedPaths(DIST).size());

        RecordingListener l = new RecordingListener();
        DeployResult again = Deploys.run(request(b2, "r2").invalidation(cloudFront(DIST, DIST2).build()), l);
        assertEquals("the first distribution is not billed again", 2, fake.billedPaths(DIST).size());
        assertEquals(new TreeSet<>(List.of("/", "/index.html")), new TreeSet<>(fake.billedPaths(DIST2)));
        assertEquals(2, again.invalidation().batches().size());
    }

    @Test
    public void aDryRunWritesNothingToTheServer() throws Exception {
        Deploys.run(request(build("b1", "home 1\n"), "r1"), new RecordingListener());
        Path state = link.resolveSibling(".cloudfront-deploy");
        Trees.deleteTree(state);
        Files.writeString(state, "not a folder: any write below it fails\n");
        DeployResult dry = Deploys.run(request(build("b2", "home 2\n"), "r2").dryRun(true),
                new RecordingListener());
        assertEquals(new TreeSet<>(List.of("M index.html")), Deploys.lines(dry));
        assertTrue(Files.isRegularFile(state));
        assertFalse(Files.exists(link.resolveSibling("r2")));
        assertEquals("r1", live());
    }

    @Test
    public void aDryRunWorksWithAnAccountThatCannotWrite() throws Exception {
        Deploys.run(request(build("b1", "home 1\n"), "r1"), new RecordingListener());
        Path www = link.getParent();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        EmbeddedSshServer.Builder b = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key));
        if (root) {
            b.commandsAsNobody(); // root writes anywhere: the read-only deploy account is nobody
        }
        for (Path p = www; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(p.equals(www) ? "r-xr-xr-x"
                    : "rwxr-xr-x"));
        }
        try (EmbeddedSshServer server = b.start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            DeployResult dry = Deploys.run(Deploys.request(build("b2", "home 2\n"), "r2", ssh,
                    tmp.newFolder().toPath(), server.url("tester", link.toString())).dryRun(true),
                    new RecordingListener());
            assertEquals(new TreeSet<>(List.of("M index.html")), Deploys.lines(dry));
            assertFalse(Files.exists(www.resolve(".cloudfront-deploy/lock")));
        } finally {
            Files.setPosixFilePermissions(www, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
