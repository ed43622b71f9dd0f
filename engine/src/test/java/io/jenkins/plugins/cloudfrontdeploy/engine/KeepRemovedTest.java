package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Diffs;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Files a build removed stay servable for {@code --keep-removed} deploys: hard-linked into the new release, never
 * uploaded, not invalidated while kept, and, when they go, invalidated only with {@code --invalidate-expired}. Over
 * real SSH servers, with CloudFront played by the fake through the real SDK client.
 */
public class KeepRemovedTest {
    private static final String DIST = "E2QWRUHAPOMQZL";
    private static final String HOSTILE = "it's $(touch cfd-canary-subst)\n.js";

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

    private InvalidationOptions invalidation() {
        return InvalidationOptions.builder()
                .distributions(List.of(DIST))
                .mode(PlanMode.FILES)
                .aws(new CloudFrontSettings(null, "AKIDEXAMPLE", "kept-out", null, null, null,
                        fake.endpoint().toString()))
                .polling(Duration.ofMillis(2), Duration.ofMillis(20))
                .build();
    }

    /** A build of the given files, each holding its path; pages also the tag, so each build changes them. */
    private Path build(String tag, String... paths) throws Exception {
        Path b = tmp.newFolder().toPath();
        for (String p : paths) {
            Trees.write(b, p, p + " " + (p.endsWith(".html") ? tag : ""));
        }
        return b;
    }

    private DeployResult deploy(Path build, String release, String target, SshSettings ssh, int keepRemoved,
            boolean invalidateExpired, int keep) throws Exception {
        return Deploys.run(Deploys.request(build, release, ssh, tmp.newFolder().toPath(), target)
                .invalidation(invalidation()).keepRemoved(keepRemoved).invalidateExpired(invalidateExpired)
                .keep(keep), new RecordingListener());
    }

    private List<String> billedSince(int from) {
        List<String> all = fake.billedPaths(DIST);
        return new ArrayList<>(new TreeSet<>(all.subList(from, all.size())));
    }

    private static Map<String, Integer> kept(DeployResult r) {
        Map<String, Integer> out = new LinkedHashMap<>();
        r.kept().removedKept().forEach(k -> out.put(k.path(), k.until()));
        return out;
    }

    private Object inode(String release, String path) throws Exception {
        return Files.getAttribute(www.resolve(release).resolve(path), "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private Map<String, Integer> marks(String release) throws Exception {
        return StoredManifest.parse(Files.readAllBytes(www.resolve(".cloudfront-deploy/manifests/" + release)))
                .marks();
    }

    @Test
    public void overOpenSshRemovedAssetsStayUntilTheNextDeployAndGoUninvalidatedUnlessAsked() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath())) {
            SshSettings ssh = SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts())
                    .build();
            String target = sshd.url(link.toString());
            deploy(build("1", "index.html", "app.aaa.js", "style.css", "about.html", "img/old.png", "old/chunk.js",
                    HOSTILE), "r1", target, ssh, 1, false, 5);

            // the build renames its bundle, drops a page, an image, a whole folder and a hostile name
            Path b2 = build("2", "index.html", "app.bbb.js", "style.css", "img/new.png");
            DeployResult second = deploy(b2, "r2", target, ssh, 1, false, 5);
            assertEquals("the build's truth: every removal is a D", new TreeSet<>(List.of("M index.html",
                    "A app.bbb.js", "A img/new.png", "D app.aaa.js", "D about.html", "D img/old.png",
                    "D old/chunk.js", "D " + HOSTILE)), Deploys.lines(second));
            assertTrue(Files.readString(Path.of(second.changesFile())).contains("D\tapp.aaa.js\n"));
            assertEquals(Map.of("app.aaa.js", 1, "img/old.png", 1, "old/chunk.js", 1, HOSTILE, 1), kept(second));
            assertEquals(List.of(), second.kept().expired());
            for (String k : List.of("app.aaa.js", "img/old.png", "old/chunk.js", HOSTILE)) {
                assertEquals(k + " is the previous release's file, hard-linked", inode("r1", k), inode("r2", k));
            }
            assertFalse("a page is never kept", Files.exists(www.resolve("r2/about.html")));
            assertEquals("only what the build changed was uploaded", 3, second.hosts().get(0).filesUploaded());
            assertEquals("a kept file is not invalidated; the removed page is", List.of("/", "/about.html",
                    "/index.html"), billedSince(0));
            assertEquals(Map.of("app.aaa.js", 0, "img/old.png", 0, "old", -1, "old/chunk.js", 0, HOSTILE, 0),
                    marks("r2"));
            for (boolean verifyRemote : new boolean[] {false, true}) {
                assertEquals("a later diff of the same build sees no change: kept files are not the build's",
                        new TreeSet<>(), Diffs.lines(Diffs.run(b2, target, ssh, tmp.newFolder().toPath(),
                                verifyRemote, new RecordingListener())));
            }
            JsonNode report = new ObjectMapper().readTree(Path.of(second.reportFile()).toFile());
            assertEquals(1, report.get("keepRemoved").asInt());
            assertEquals("app.aaa.js", report.get("removedKept").get(0).get("path").asText());
            assertEquals(1, report.get("removedKept").get(0).get("until").asInt());
            assertEquals(0, report.get("expired").size());

            // another build: the kept files expire, except the image the build brings back with new content
            int billed = fake.billedPaths(DIST).size();
            Path b3 = build("3", "index.html", "app.ccc.js", "style.css", "img/new.png", "img/old.png");
            Files.writeString(b3.resolve("img/old.png"), "a new picture under the old name");
            DeployResult third = deploy(b3, "r3", target, ssh, 1, false, 5);
            assertEquals("kept files are not the build's: no D again, the image is added back", new TreeSet<>(
                    List.of("M index.html", "A app.ccc.js", "D app.bbb.js", "A img/old.png")), Deploys.lines(third));
            assertEquals(List.of("app.aaa.js", HOSTILE, "old/chunk.js").stream().sorted().toList(),
                    third.kept().expired());
            assertEquals(Map.of("app.bbb.js", 1), kept(third));
            assertFalse(Files.exists(www.resolve("r3/app.aaa.js")));
            assertFalse("a folder kept only for its files goes with them", Files.exists(www.resolve("r3/old")));
            assertTrue(Files.exists(www.resolve("r3/app.bbb.js")));
            assertEquals("expired files are not invalidated by default; the image served other bytes before",
                    List.of("/", "/img/old.png", "/index.html"), billedSince(billed));
            assertEquals(Map.of("app.bbb.js", 0), marks("r3"));

            // with --invalidate-expired, exactly the expired file is added
            billed = fake.billedPaths(DIST).size();
            Path b4 = build("4", "index.html", "app.ccc.js", "style.css", "img/new.png", "img/old.png");
            Files.writeString(b4.resolve("img/old.png"), "a new picture under the old name");
            DeployResult fourth = deploy(b4, "r4", target, ssh, 1, true, 5);
            assertEquals(List.of("app.bbb.js"), fourth.kept().expired());
            assertTrue(fourth.kept().expiredInvalidated());
            assertEquals(List.of("/", "/app.bbb.js", "/index.html"), billedSince(billed));
            for (String canary : Trees.CANARIES) {
                assertFalse(canary, Files.exists(www.resolve("r2").resolve(canary)));
            }
        }
    }

    @Test
    public void overMinaKeptForTwoDeploysAcrossARollbackAndRetentionAndZeroIsTheOldBehaviour() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            String target = server.url("tester", link.toString());
            deploy(build("1", "index.html", "a.js", "b.js"), "r1", target, ssh, 2, false, 3);
            DeployResult r2 = deploy(build("2", "index.html", "b.js"), "r2", target, ssh, 2, false, 3);
            assertEquals(Map.of("a.js", 2), kept(r2));
            DeployResult r3 = deploy(build("3", "index.html"), "r3", target, ssh, 2, false, 3);
            assertEquals(Map.of("a.js", 1, "b.js", 2), kept(r3));
            DeployResult r4 = deploy(build("4", "index.html", "c.js"), "r4", target, ssh, 2, false, 3);
            assertEquals(Map.of("b.js", 1), kept(r4));
            assertEquals(List.of("a.js"), r4.kept().expired());
            assertFalse(Files.exists(www.resolve("r4/a.js")));
            // retention deleted r1, where a.js and b.js came from: the hard links in r3 still serve them
            assertEquals(List.of("r1"), r4.hosts().get(0).deletedReleases());
            assertEquals("a.js ", Files.readString(www.resolve("r3/a.js")));

            // a rollback to r3 serves its kept files again, and forgets nothing for them (same bytes, or added)
            int billed = fake.billedPaths(DIST).size();
            DeployResult back = new Rollback().run(new RollbackRequest(List.of(SshTarget.parse(target)), null, ssh,
                    null, tmp.newFolder().toString(), null, false, false, invalidation()), new RecordingListener());
            assertEquals("r3", Files.readSymbolicLink(link).toString());
            assertEquals(List.of("/", "/c.js", "/index.html"), billedSince(billed));
            assertEquals("r3", back.release());
            // the next deploy goes on from r3's marks: a.js has had its two deploys, b.js one more to go
            DeployResult r5 = deploy(build("5", "index.html"), "r5", target, ssh, 2, false, 3);
            assertEquals(List.of("a.js"), r5.kept().expired());
            assertEquals(Map.of("b.js", 1), kept(r5));

            // 0: today's behaviour, and what was kept goes at once
            DeployResult r6 = deploy(build("6", "index.html", "d.js"), "r6", target, ssh, 0, false, 3);
            assertEquals(Map.of(), kept(r6));
            assertEquals(List.of("b.js"), r6.kept().expired());
            assertEquals(Trees.snapshot(www.resolve("r6")).keySet(), new TreeSet<>(List.of("index.html", "d.js")));
            DeployResult r7 = deploy(build("7", "index.html"), "r7", target, ssh, 0, false, 3);
            assertEquals(new TreeSet<>(List.of("M index.html", "D d.js")), Deploys.lines(r7));
            assertFalse(Files.exists(www.resolve("r7/d.js")));
            assertTrue(billedSince(0).contains("/d.js"));
        }
    }

    @Test
    public void anInterruptedDeployResumedStillKeepsAndARerunAfterTheSwitchReportsTheSame() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            String target = server.url("tester", link.toString());
            deploy(build("1", "index.html", "a.js", HOSTILE), "r1", target, ssh, 1, false, 5);
            Path b2 = build("2", "index.html", "b.js");

            // an attempt without keeping dies once staged: its folder lacks the removed files
            RecordingListener diesStaged = new RecordingListener() {
                @Override
                public void stageFinished(Stage stage, String summary) {
                    if (stage == Stage.STAGE) {
                        throw new IllegalStateException("killed once staged");
                    }
                }
            };
            assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(b2, "r2", ssh,
                    tmp.newFolder().toPath(), target).keepRemoved(0), diesStaged));
            assertEquals("r1", Files.readSymbolicLink(link).toString());
            assertFalse(Files.exists(www.resolve("r2/a.js")));

            // resumed with the default: the removed files are linked back in from r1, never uploaded
            RecordingListener diesSwitched = new RecordingListener() {
                @Override
                public void stageFinished(Stage stage, String summary) {
                    if (stage == Stage.SWITCH) {
                        throw new IllegalStateException("killed after the switch");
                    }
                }
            };
            DeployException died = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(b2, "r2",
                    ssh, tmp.newFolder().toPath(), target).invalidation(invalidation()), diesSwitched));
            assertEquals("r2", Files.readSymbolicLink(link).toString());
            assertEquals(died.getMessage(), inode("r1", "a.js"), inode("r2", "a.js"));
            assertEquals(inode("r1", HOSTILE), inode("r2", HOSTILE));
            assertEquals(Map.of("a.js", 0, HOSTILE, 0), marks("r2"));

            // run again after the switch: the live release holds the build plus its kept files, which is right
            DeployResult again = Deploys.run(Deploys.request(b2, "r2", ssh, tmp.newFolder().toPath(), target)
                    .invalidation(invalidation()), new RecordingListener());
            assertEquals(0, again.bytesUploaded());
            assertEquals(new TreeSet<>(List.of("M index.html", "A b.js", "D a.js", "D " + HOSTILE)),
                    Deploys.lines(again));
            assertEquals(Map.of("a.js", 1, HOSTILE, 1), kept(again));
            assertEquals("kept files were never invalidated", List.of("/", "/index.html"), billedSince(0));
            for (String canary : Trees.CANARIES) {
                assertFalse(canary, Files.exists(www.resolve("r2").resolve(canary)));
            }
        }
    }
}
