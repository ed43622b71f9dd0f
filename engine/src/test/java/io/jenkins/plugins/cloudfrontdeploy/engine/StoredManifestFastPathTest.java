package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Diffs;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The manifest a deploy stores on the server: the next diff, deploy or rollback takes its hashes instead of hashing
 * on the server, as long as each file's size and modification time are as stored; {@code verifyRemote} ignores it.
 */
public class StoredManifestFastPathTest {
    private static final String NOTHING_HASHED = ", 0 files to hash on the server";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path www;
    private Path link;

    @Before
    public void site() throws Exception {
        www = tmp.newFolder("www").toPath();
        link = www.resolve("production");
    }

    /** page0..page(n-1) and an index naming the release: same size in every release, other content. */
    private Path build(String name, int pages) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        for (int i = 0; i < pages; i++) {
            Trees.write(b, "page" + i + ".html", "page " + i + "\n");
        }
        Trees.write(b, "index.html", "release " + name + "\n");
        return b;
    }

    private DeployResult deploy(Path build, String release, RecordingListener l) throws Exception {
        return Deploys.run(Deploys.request(build, release, null, tmp.newFolder().toPath(), link.toString()), l);
    }

    private Path manifest(String release) {
        return www.resolve(".cloudfront-deploy/manifests/" + release);
    }

    private static String fastPathInfo(RecordingListener l, String release) {
        return l.infos.stream().filter(i -> i.contains("manifest stored with release " + release)).findFirst()
                .orElseThrow(() -> new AssertionError("no use of " + release + "'s manifest in " + l.infos));
    }

    @Test
    public void theNextDeployTakesEveryHashFromTheManifestAndAppendsOnlyWhatChanged() throws Exception {
        deploy(build("r1", 20), "r1", new RecordingListener());
        byte[] first = Files.readAllBytes(manifest("r1"));
        assertEquals(21, StoredManifest.parse(first).records());

        Path b2 = build("r2", 20);
        Trees.write(b2, "page3.html", "PAGE 3\n"); // same size
        Trees.write(b2, "page4.html", "longer page 4\n");
        RecordingListener l = new RecordingListener();
        DeployResult second = deploy(b2, "r2", l);

        assertEquals(Set.of("M index.html", "M page3.html", "M page4.html"), Deploys.lines(second));
        assertEquals("20 hashes taken from the manifest stored with release r1" + NOTHING_HASHED,
                fastPathInfo(l, "r1"));
        byte[] appended = Files.readAllBytes(manifest("r2"));
        assertArrayEquals("r2's manifest is r1's followed by what changed", first,
                Arrays.copyOf(appended, first.length));
        assertEquals(21 + 3, StoredManifest.parse(appended).records());
    }

    @Test
    public void aManifestMostlySupersededIsWrittenAfresh() throws Exception {
        deploy(build("r1", 10), "r1", new RecordingListener());
        Path b2 = build("r2", 10);
        Path b3 = build("r3", 10);
        for (int i = 0; i < 10; i++) {
            Trees.write(b2, "page" + i + ".html", "second " + i + "\n");
            Trees.write(b3, "page" + i + ".html", "third " + i + "\n");
        }
        deploy(b2, "r2", new RecordingListener());
        assertEquals("11 + 11 records: still appended", 22, StoredManifest.parse(Files.readAllBytes(manifest("r2")))
                .records());
        DeployResult third = deploy(b3, "r3", new RecordingListener());
        assertEquals(11, third.changes().content().size());
        assertEquals("33 records for 11 files: rewritten", 11,
                StoredManifest.parse(Files.readAllBytes(manifest("r3"))).records());
        assertEquals(Trees.snapshot(b3), Trees.snapshot(www.resolve("r3")));
    }

    @Test
    public void aFileTouchedOnTheServerIsHashedAgain() throws Exception {
        Path b1 = build("r1", 5);
        deploy(b1, "r1", new RecordingListener());
        Path edited = www.resolve("r1/page2.html");
        Files.writeString(edited, "PAGE 2\n"); // same size, other content, edited later
        Files.setLastModifiedTime(edited, FileTime.fromMillis(Files.getLastModifiedTime(edited).toMillis() + 3_600_000));

        RecordingListener l = new RecordingListener();
        DiffResult r = Diffs.run(b1, link.toString(), null, tmp.newFolder().toPath(), l);
        assertEquals(Set.of("M page2.html"), Diffs.lines(r));
        assertEquals("5 hashes taken from the manifest stored with release r1, 1 files to hash on the server",
                fastPathInfo(l, "r1"));
    }

    @Test
    public void anEditThatKeepsSizeAndTimeIsFoundOnlyWithVerifyRemote() throws Exception {
        Path b1 = build("r1", 5);
        deploy(b1, "r1", new RecordingListener());
        Path edited = www.resolve("r1/page2.html");
        FileTime mtime = Files.getLastModifiedTime(edited);
        Files.writeString(edited, "PAGE 2\n");
        Files.setLastModifiedTime(edited, mtime); // as `cp -p` or `rsync -t` of other content would leave it

        assertEquals("trusted: the quick check cannot see it", Set.of(),
                Diffs.lines(Diffs.run(b1, link.toString(), null, tmp.newFolder().toPath(), new RecordingListener())));
        RecordingListener l = new RecordingListener();
        assertEquals(Set.of("M page2.html"),
                Diffs.lines(Diffs.run(b1, link.toString(), null, tmp.newFolder().toPath(), true, l)));
        assertTrue(l.infos.stream().noneMatch(i -> i.contains("manifest stored")));

        DeployResult repair = Deploys.run(Deploys.request(b1, "r2", null, tmp.newFolder().toPath(), link.toString())
                .verifyRemote(true), new RecordingListener());
        assertEquals(Set.of("M page2.html"), Deploys.lines(repair));
        assertEquals(Trees.snapshot(b1), Trees.snapshot(www.resolve("r2")));
    }

    @Test
    public void anUnreadableManifestIsReportedAndTheServerHashesInstead() throws Exception {
        Path b1 = build("r1", 5);
        deploy(b1, "r1", new RecordingListener());
        Files.writeString(manifest("r1"), "not a manifest\n");
        Trees.write(b1, "page1.html", "PAGE 1\n");

        RecordingListener l = new RecordingListener();
        DiffResult r = Diffs.run(b1, link.toString(), null, tmp.newFolder().toPath(), l);
        assertEquals(Set.of("M page1.html"), Diffs.lines(r));
        assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.contains(manifest("r1").toString())
                && w.contains("unreadable") && w.contains("hashing the release on the server instead")));
    }

    @Test
    public void rollbackTakesTheHashesOfBothReleasesFromTheirManifests() throws Exception {
        deploy(build("r1", 5), "r1", new RecordingListener());
        Path b2 = build("r2", 5);
        Trees.write(b2, "page1.html", "PAGE 1\n");
        deploy(b2, "r2", new RecordingListener());

        RecordingListener l = new RecordingListener();
        DeployResult back = new Rollback().run(new RollbackRequest(List.of(SshTarget.parse(link.toString())), null,
                null, null, tmp.newFolder().toString(), null, false, false, null), l);
        assertEquals(new TreeSet<>(Set.of("M index.html", "M page1.html")), Deploys.lines(back));
        assertTrue(fastPathInfo(l, "r2").endsWith(NOTHING_HASHED));
        assertTrue(fastPathInfo(l, "r1").endsWith(NOTHING_HASHED));
    }

    /** Stored from this machine's file times, checked against SFTP's: both in whole seconds. */
    @Test
    public void aDiffOverSftpAloneTrustsAManifestStoredByALocalDeploy() throws Exception {
        Path b1 = build("r1", 5);
        deploy(b1, "r1", new RecordingListener());
        Trees.write(b1, "page1.html", "PAGE 1\n");
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).exec(false)
                .start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            RecordingListener l = new RecordingListener();
            DiffResult r = Diffs.run(b1, server.url("tester", link.toString()),
                    SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build(),
                    tmp.newFolder().toPath(), l);
            assertEquals("sftp", r.transport());
            assertEquals(Set.of("M page1.html"), Diffs.lines(r));
            assertEquals("6 hashes taken from the manifest stored with release r1" + NOTHING_HASHED,
                    fastPathInfo(l, "r1"));
        }
    }
}
