package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThat;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.LocalServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Retention, rollback, the safety rails and dry runs, on the local transport (the agent is the web server): real
 * folders, links and journals on disk.
 */
public class ReleaseLifecycleTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path www;
    private Path link;

    @Before
    public void site() throws Exception {
        www = tmp.newFolder("www").toPath();
        link = www.resolve("production");
        Trees.write(www.resolve("1.0.3"), "index.html", "hand-made\n");
        Files.createSymbolicLink(link, Path.of("1.0.3"));
        Files.createDirectories(www.resolve("manual-backup"));
    }

    private Path build(String name, int files) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        for (int i = 0; i < files; i++) {
            Trees.write(b, "page" + i + ".html", "page " + i + "\n");
        }
        Trees.write(b, "index.html", "release " + name + "\n");
        return b;
    }

    private DeployResult deploy(Path build, String release, int keep) throws Exception {
        return Deploys.run(Deploys.request(build, release, null, tmp.newFolder().toPath(), link.toString())
                .keep(keep), new RecordingListener());
    }

    private List<String> folders() throws Exception {
        try (Stream<Path> s = Files.list(www)) {
            return s.filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p))
                    .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    public void retentionKeepsTheNewestItCreatedAndNothingElse() throws Exception {
        for (int i = 1; i <= 6; i++) {
            deploy(build("r" + i, 3), "r" + i, 3);
        }
        assertEquals(List.of("1.0.3", "manual-backup", "r4", "r5", "r6"), folders());
        assertEquals("r6", Files.readSymbolicLink(link).toString());
        assertFalse(Files.exists(www.resolve(".cloudfront-deploy/releases/r1.json")));
    }

    @Test
    public void retentionNeverDeletesThePreviousReleaseEvenWhenOld() throws Exception {
        deploy(build("r1", 2), "r1", 2);
        deploy(build("r2", 2), "r2", 2);
        new Rollback().run(new RollbackRequest(List.of(SshTarget.parse(link.toString())), "r1", null, null,
                tmp.newFolder().toPath().toString(), null, false, false, null), new RecordingListener());
        deploy(build("r3", 2), "r3", 2); // live r3, previous r1: the newest 2 are r3 and r2, yet r1 stays
        assertEquals(List.of("1.0.3", "manual-backup", "r1", "r2", "r3"), folders());
        deploy(build("r4", 2), "r4", 2); // live r4, previous r3: now r1 and r2 go
        assertEquals(List.of("1.0.3", "manual-backup", "r3", "r4"), folders());
    }

    @Test
    public void rollbackSwitchesBackReportsTheDiffAndMarksTheReleaseBad() throws Exception {
        Path b1 = build("r1", 3);
        deploy(b1, "r1", 5);
        Path b2 = build("r2", 4);
        Files.delete(b2.resolve("page0.html"));
        deploy(b2, "r2", 5);
        Path report = tmp.newFolder().toPath();
        DeployResult back = new Rollback().run(new RollbackRequest(List.of(SshTarget.parse(link.toString())), null,
                null, null, report.toString(), null, false, false, null), new RecordingListener());
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        assertEquals("r1", back.release());
        assertEquals("r2", back.previousRelease());
        assertEquals(Trees.expectedChanges(Trees.snapshot(www.resolve("r2")), Trees.snapshot(www.resolve("r1"))),
                Deploys.lines(back));
        assertEquals(List.of("M\tindex.html", "A\tpage0.html", "D\tpage3.html"),
                Files.readAllLines(report.resolve("changes.txt")));
        try (LocalServer server = new LocalServer(SshTarget.parse(link.toString()), Duration.ofMinutes(1))) {
            Map<String, ReleaseCatalog.Entry> byName = new java.util.TreeMap<>();
            for (ReleaseCatalog.Entry e : ReleaseCatalog.read(server, SiteLayout.of(server.target(), null),
                    server.reader().list(ProgressListener.NONE).release()).entries()) {
                byName.put(e.name(), e);
            }
            assertTrue(byName.get("r2").bad());
            assertTrue(byName.get("r1").live());
            assertFalse("1.0.3 was live before r1, but the rollback to r1 is done: run again, it does nothing",
                    byName.get("1.0.3").rollbackTarget());
            assertFalse(byName.get("r2").rollbackTarget());
        }
        deploy(build("r3", 2), "r3", 5);
        DeployException again = assertThrows(DeployException.class, () -> new Rollback().run(new RollbackRequest(
                List.of(SshTarget.parse(link.toString())), "r3", null, null, tmp.newFolder().toString(), null,
                false, false, null), new RecordingListener()));
        assertThat(again.getMessage(), containsString("release r3 is already live"));
    }

    @Test
    public void theResultAndTheReportListTheReleasesEachHostKeeps() throws Exception {
        deploy(build("r1", 1), "r1", 5);
        deploy(build("r2", 1), "r2", 5);
        new Rollback().run(new RollbackRequest(List.of(SshTarget.parse(link.toString())), "r1", null, null,
                tmp.newFolder().toPath().toString(), null, false, false, null), new RecordingListener());
        Path report = tmp.newFolder().toPath();
        DeployResult r = Deploys.run(Deploys.request(build("r3", 1), "r3", null, report, link.toString()),
                new RecordingListener());
        List<ReleaseCatalog.Entry> releases = r.hosts().get(0).releases();
        assertEquals(List.of("r3 live", "r2 bad", "r1 previous"), releases.stream()
                .map(e -> e.name() + (e.live() ? " live" : "") + (e.rollbackTarget() ? " previous" : "")
                        + (e.bad() ? " bad" : "")).toList());
        String json = Files.readString(report.resolve("report.json"));
        assertThat(json, containsString("\"releases\" : [ {\n      \"name\" : \"r3\",\n      \"live\" : true"));

        DeployResult dry = Deploys.run(Deploys.request(build("r4", 1), "r4", null, tmp.newFolder().toPath(),
                link.toString()).dryRun(true), new RecordingListener());
        assertEquals("a dry run lists them as they are", releases, dry.hosts().get(0).releases());
    }

    @Test
    public void tooManyDeletesAreRefusedAndNothingIsWritten() throws Exception {
        deploy(build("r1", 300), "r1", 5);
        Path broken = build("broken", 3);
        DeployException e = assertThrows(DeployException.class, () -> deploy(broken, "r2", 5));
        assertThat(e.getMessage(), containsString("would remove 297 files"));
        assertThat(e.getMessage(), containsString("--max-deletes 256"));
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        assertFalse(Files.exists(www.resolve("r2")));
        DeployResult allowed = Deploys.run(Deploys.request(broken, "r2", null, tmp.newFolder().toPath(),
                link.toString()).maxDeletes(-1), new RecordingListener());
        assertEquals(297, allowed.removed());
    }

    @Test
    public void emptyOrMissingSourceIsRefused() throws Exception {
        Path empty = tmp.newFolder("empty").toPath();
        Files.createDirectories(empty.resolve("only/folders"));
        DeployException e = assertThrows(DeployException.class, () -> deploy(empty, "r1", 5));
        assertThat(e.getMessage(), containsString("has no files"));
        DeployException missing = assertThrows(DeployException.class, () -> deploy(www.resolve("nope"), "r1", 5));
        assertThat(missing.getMessage(), containsString("nope"));
        assertEquals("1.0.3", Files.readSymbolicLink(link).toString());
        assertFalse(Files.exists(www.resolve(".cloudfront-deploy")));
    }

    @Test
    public void badReleaseNamesAreRefused() throws Exception {
        Path b = build("x", 1);
        for (String name : List.of("..", ".", "a/b", "-rf", "x y", "$(id)", "")) {
            DeployException e = assertThrows(name, DeployException.class, () -> deploy(b, name, 5));
            assertThat(e.getMessage(), containsString("release name"));
        }
    }

    @Test
    public void anExistingFolderIsNeverOverwritten() throws Exception {
        Path b = build("x", 1);
        DeployException e = assertThrows(DeployException.class, () -> deploy(b, "manual-backup", 5));
        assertThat(e.getMessage(), containsString("already exists"));
        try (Stream<Path> s = Files.list(www.resolve("manual-backup"))) {
            assertEquals(0, s.count());
        }
        assertEquals("1.0.3", Files.readSymbolicLink(link).toString());
    }

    @Test
    public void dryRunWritesTheReportAndNothingOnTheServer() throws Exception {
        Path report = tmp.newFolder().toPath();
        DeployResult r = Deploys.run(Deploys.request(build("r1", 2), "r1", null, report, link.toString())
                .dryRun(true), new RecordingListener());
        assertTrue(r.dryRun());
        assertEquals(List.of("M\tindex.html", "A\tpage0.html", "A\tpage1.html"),
                Files.readAllLines(report.resolve("changes.txt")));
        assertEquals("1.0.3", Files.readSymbolicLink(link).toString());
        assertFalse(Files.exists(www.resolve("r1")));
        assertFalse(Files.exists(www.resolve(".cloudfront-deploy/releases")));
        assertFalse(Files.exists(www.resolve(".cloudfront-deploy/lock")));
    }

    @Test
    public void aPlainFolderTargetIsRefusedWithTheCommandsToConvertIt() throws Exception {
        Files.delete(link);
        Files.createDirectories(link);
        DeployException e = assertThrows(DeployException.class, () -> deploy(build("r1", 1), "r1", 5));
        assertThat(e.getMessage(), containsString("&& ln -s initial 'production'"));
    }

    @Test
    public void hardLinksThatFailFallBackToACopy() throws Exception {
        Path shm = Path.of("/dev/shm");
        assertTrue("this test needs /dev/shm on another file system than " + tmp.getRoot(),
                Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(tmp.getRoot().toPath())));
        Path releases = Files.createTempDirectory(shm, "cfd-releases");
        try {
            RecordingListener l = new RecordingListener();
            Path b = build("r1", 2);
            DeployResult r = Deploys.run(Deploys.request(b, "r1", null, tmp.newFolder().toPath(), link.toString())
                    .releasesDir(releases.toString()), l);
            assertEquals("copy", r.hosts().get(0).seed());
            assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.contains("copied instead")));
            assertEquals(releases.resolve("r1").toString(), Files.readSymbolicLink(link).toString());
            assertEquals(Trees.snapshot(b), Trees.snapshot(releases.resolve("r1")));
        } finally {
            Trees.deleteTree(releases);
        }
    }

    @Test
    public void aStagedReleaseThatDoesNotMatchTheBuildIsNeverSwitchedTo() throws Exception {
        deploy(build("r1", 2), "r1", 5);
        Path b = build("r2", 2);
        // the build changes under the deploy after it was hashed: the upload no longer matches the manifest
        RecordingListener tamper = new RecordingListener() {
            @Override
            public void stageStarted(Stage stage, long total) {
                if (stage == Stage.STAGE) {
                    try {
                        Files.writeString(b.resolve("index.html"), "RELEASE r2\n"); // same size, other bytes
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        };
        DeployException e = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(b, "r2", null,
                tmp.newFolder().toPath(), link.toString()), tamper));
        assertThat(e.getMessage(), containsString("does not match the build"));
        assertThat(e.getMessage(), containsString("'index.html' differs"));
        assertEquals("r1", Files.readSymbolicLink(link).toString());
    }
}
