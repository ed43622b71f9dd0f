package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThat;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.LocalServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Rollback run again, and rollback to a release whose folder is gone: on the local transport, and over SSH to two
 * hosts (the embedded MINA server).
 */
public class RollbackTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(180);

    private Path www;
    private Path link;

    @Before
    public void site() throws Exception {
        www = tmp.newFolder("www").toPath();
        link = www.resolve("production");
    }

    private Path build(String name) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        Trees.write(b, "index.html", "release " + name + "\n");
        Trees.write(b, "same.css", "css\n");
        Trees.write(b, name + ".html", "only in " + name + "\n");
        return b;
    }

    private void deploy(String release, int keep, SshSettings ssh, String... targets) throws Exception {
        Deploys.run(Deploys.request(build(release), release, ssh, tmp.newFolder().toPath(), targets).keep(keep),
                new RecordingListener());
    }

    private void deploy(String release, int keep) throws Exception {
        deploy(release, keep, null, link.toString());
    }

    private DeployResult rollback(String to, RecordingListener listener, Path report, SshSettings ssh,
            String... targets) throws Exception {
        List<SshTarget> parsed = Stream.of(targets).map(SshTarget::parse).toList();
        return new Rollback().run(new RollbackRequest(parsed, to, ssh, null, report.toString(), null, false, false,
                null), listener);
    }

    private DeployResult rollback(String to, RecordingListener listener) throws Exception {
        return rollback(to, listener, tmp.newFolder().toPath(), null, link.toString());
    }

    private static String live(Path www) throws Exception {
        return Files.readSymbolicLink(www.resolve("production")).toString();
    }

    private static List<String> bad(Path www) throws Exception {
        Path dir = www.resolve(".cloudfront-deploy/abandoned");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private ReleaseCatalog catalog() throws Exception {
        try (LocalServer server = new LocalServer(SshTarget.parse(link.toString()), Duration.ofMinutes(1))) {
            return ReleaseCatalog.read(server, SiteLayout.of(server.target(), null),
                    server.reader().list(ProgressListener.NONE).release());
        }
    }

    private static Map<String, ReleaseCatalog.Entry> byName(ReleaseCatalog catalog) {
        Map<String, ReleaseCatalog.Entry> out = new TreeMap<>();
        catalog.entries().forEach(e -> out.put(e.name(), e));
        return out;
    }

    /** Nothing a rollback writes is there: no lock, no rollback journal, no bad mark. */
    private static void assertNothingMoved(Path www, String live) throws Exception {
        assertEquals(live, live(www));
        assertFalse("the lock is released", Files.exists(www.resolve(".cloudfront-deploy/lock")));
        assertFalse("no rollback journal", Files.exists(www.resolve(".cloudfront-deploy/rollback.json")));
        assertEquals(List.of(), bad(www));
    }

    @Test
    public void aFinishedRollbackRunAgainIsANoOpThatSaysSo() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        deploy("r3", 5);
        Path firstReport = tmp.newFolder().toPath();
        DeployResult first = rollback(null, new RecordingListener(), firstReport, null, link.toString());
        assertEquals("r2", live(www));
        assertEquals("r2", first.release());

        RecordingListener l = new RecordingListener();
        Path againReport = tmp.newFolder().toPath();
        DeployResult again = rollback(null, l, againReport, null, link.toString());
        assertEquals("not one release too far", "r2", live(www));
        assertEquals(List.of("r3"), bad(www));
        assertEquals("r2", again.release());
        assertEquals("r3", again.previousRelease());
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("production is already on r2: the"
                + " rollback from r3 to r2 finished at ") && i.endsWith("; nothing to do. To go back further, name"
                + " the release with --to")));
        assertThat(again.hosts().get(0).state(), containsString("nothing to do"));
        assertEquals("the same changes as that rollback", Deploys.lines(first), Deploys.lines(again));
        assertEquals(Files.readAllLines(firstReport.resolve("changes.txt")),
                Files.readAllLines(againReport.resolve("changes.txt")));
        assertNull(again.invalidation());

        DeployResult named = rollback("r2", new RecordingListener());
        assertEquals("--to naming the live release is the same no-op", "r2", live(www));
        assertEquals(Deploys.lines(first), Deploys.lines(named));
        assertFalse(Files.exists(www.resolve(".cloudfront-deploy/lock")));

        ReleaseCatalog catalog = catalog();
        assertNull("rollback without --to chooses nothing", catalog.rollbackTarget());
        assertEquals("r2", catalog.finishedRollback().to());
        assertFalse(byName(catalog).get("r1").rollbackTarget());
    }

    @Test
    public void theNoOpStillWorksWhenTheBadReleaseWasDeletedByHand() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        rollback(null, new RecordingListener());
        Trees.deleteTree(www.resolve("r2"));
        RecordingListener l = new RecordingListener();
        Path report = tmp.newFolder().toPath();
        DeployResult again = rollback(null, l, report, null, link.toString());
        assertEquals("r1", live(www));
        assertTrue(again.changes().isEmpty());
        assertEquals(List.of(), Files.readAllLines(report.resolve("changes.txt")));
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("no longer exists; its changes are"
                + " not reported again")));
        assertTrue(byName(catalog()).get("r2").missing());
    }

    @Test
    public void aNewDeployAfterAFinishedRollbackIsRolledBackAsUsual() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        deploy("r3", 5);
        rollback(null, new RecordingListener());
        deploy("r4", 5);
        assertEquals("r2", catalog().rollbackTarget().name());
        DeployResult back = rollback(null, new RecordingListener());
        assertEquals("r4's previous", "r2", live(www));
        assertEquals("r4", back.previousRelease());
        assertEquals(List.of("r3", "r4"), bad(www));
        RecordingListener l = new RecordingListener();
        rollback(null, l);
        assertEquals("r2", live(www));
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("the rollback from r4 to r2")));
    }

    @Test
    public void toNamesAnOlderReleaseAfterAFinishedRollback() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        deploy("r3", 5);
        rollback(null, new RecordingListener());
        DeployResult further = rollback("r1", new RecordingListener());
        assertEquals("r1", live(www));
        assertEquals("r2", further.previousRelease());
        assertEquals(List.of("r2", "r3"), bad(www));
    }

    @Test
    public void aReleaseDeletedByRetentionIsRefusedBeforeAnythingMoves() throws Exception {
        deploy("r1", 2);
        deploy("r2", 2);
        deploy("r3", 2); // keeps r3 and r2: r1 goes
        assertFalse(Files.exists(www.resolve("r1")));
        DeployException e = assertThrows(DeployException.class, () -> rollback("r1", new RecordingListener()));
        assertEquals("release r1 cannot be rolled back to on local: its folder " + www.resolve("r1") + " no longer"
                + " exists (deleted by retention, or by hand); releases there: r3 (live), r2; name one with --to",
                e.getMessage());
        assertNothingMoved(www, "r3");

        DeployException never = assertThrows(DeployException.class, () -> rollback("r0", new RecordingListener()));
        assertEquals("release r0 cannot be rolled back to on local: there is no folder " + www.resolve("r0")
                + "; releases there: r3 (live), r2; name one with --to", never.getMessage());
        assertNothingMoved(www, "r3");
    }

    @Test
    public void aDefaultTargetWhoseFolderIsGoneIsRefusedAndReleasesShowsItMissing() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        deploy("r3", 5);
        Trees.deleteTree(www.resolve("r2")); // by hand; its journal entry stays
        ReleaseCatalog catalog = catalog();
        assertNull("no default target: r3 replaced r2, whose folder is gone", catalog.rollbackTarget());
        assertEquals("r2", catalog.missingDefault().name());
        Map<String, ReleaseCatalog.Entry> releases = byName(catalog);
        assertTrue(releases.get("r2").missing());
        assertFalse(releases.get("r2").rollbackTarget());
        assertFalse(releases.get("r1").missing());
        assertFalse("never a jump past the release the live one replaced", releases.get("r1").rollbackTarget());

        DeployException e = assertThrows(DeployException.class, () -> rollback(null, new RecordingListener()));
        assertEquals("release r2 cannot be rolled back to on local: its folder " + www.resolve("r2") + " no longer"
                + " exists (deleted outside this tool); releases there: r3 (live), r1; name one with --to",
                e.getMessage());
        assertNothingMoved(www, "r3");

        rollback("r1", new RecordingListener());
        assertEquals("--to still goes where it is told", "r1", live(www));
    }

    @Test
    public void overSshToTwoHostsTheRerunIsANoOpAndADeletedReleaseIsRefused() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer one = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start();
                EmbeddedSshServer two = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, one.knownHostsLine() + "\n" + two.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            Path wwwTwo = tmp.newFolder("www-two").toPath();
            String[] targets = {one.url("tester", link.toString()),
                two.url("tester", wwwTwo.resolve("production").toString())};
            for (String r : List.of("r1", "r2", "r3")) {
                deploy(r, 2, ssh, targets); // r1 is deleted by retention on both
            }
            DeployResult first = rollback(null, new RecordingListener(), tmp.newFolder().toPath(), ssh, targets);
            assertEquals("r2", live(www));
            assertEquals("r2", live(wwwTwo));

            RecordingListener l = new RecordingListener();
            DeployResult again = rollback(null, l, tmp.newFolder().toPath(), ssh, targets);
            assertEquals("r2", live(www));
            assertEquals("r2", live(wwwTwo));
            assertEquals(List.of("r3"), bad(www));
            assertEquals(List.of("r3"), bad(wwwTwo));
            assertEquals(2, again.hosts().size());
            assertEquals(Deploys.lines(first), Deploys.lines(again));
            assertEquals(l.infos.toString(), 2, l.infos.stream().filter(i -> i.contains("production is already on"
                    + " r2: the rollback from r3 to r2 finished at ")).count());

            List<Path> journals = new ArrayList<>();
            for (Path w : List.of(www, wwwTwo)) {
                journals.add(w.resolve(".cloudfront-deploy/rollback.json"));
            }
            List<String> before = new ArrayList<>();
            for (Path j : journals) {
                before.add(Files.readString(j));
            }
            DeployException e = assertThrows(DeployException.class, () -> rollback("r1", new RecordingListener(),
                    tmp.newFolder().toPath(), ssh, targets));
            assertEquals("release r1 cannot be rolled back to on 127.0.0.1:" + one.port() + ": its folder "
                    + www.resolve("r1") + " no longer exists (deleted by retention, or by hand); releases there:"
                    + " r3 (bad), r2 (live); name one with --to", e.getMessage());
            for (Path w : List.of(www, wwwTwo)) {
                assertEquals("r2", live(w));
                assertFalse(Files.exists(w.resolve(".cloudfront-deploy/lock")));
                assertEquals(List.of("r3"), bad(w));
            }
            for (int i = 0; i < journals.size(); i++) {
                assertEquals("the rollback journal is untouched", before.get(i), Files.readString(journals.get(i)));
            }
        }
    }
}
