package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Two deploys in a row of a tree of hostile names, through each transport: the first creates release r1 and the
 * link; the second is seeded from r1 by hard links, sends only the changed bytes, and leaves r1 byte for byte and
 * inode for inode as it was, and takes r1's hashes from the manifest stored with it (the modification times each
 * transport lists agree with the stored ones). Each release's content is checked by an independent walk of the disk.
 */
public class DeployTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void localTransport() throws Exception {
        deployTwice(link -> link.toString(), null);
    }

    @Test
    public void embeddedServer() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            deployTwice(link -> server.url("tester", link.toString()),
                    SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build());
        }
    }

    @Test
    public void realOpenSsh() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath())) {
            deployTwice(link -> sshd.url(link.toString()),
                    SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts()).build());
        }
    }

    private void deployTwice(Function<Path, String> target, SshSettings ssh) throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Path link = www.resolve("production");
        Path build1 = tmp.newFolder("build1").toPath();
        for (String name : Trees.HOSTILE_NAMES) {
            Trees.write(build1, name, "first " + name + "\n");
            Trees.write(build1, "nested/" + name.substring(0, Math.min(name.length(), 60)) + "/f.txt", name);
        }
        Trees.link(build1, "links/to-plain", "../plain.txt");
        Files.setPosixFilePermissions(build1.resolve("plain.txt"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        RecordingListener l1 = new RecordingListener();
        DeployResult first = Deploys.run(Deploys.request(build1, "r1", ssh, tmp.newFolder().toPath(),
                target.apply(link)), l1);
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        assertEquals(Trees.snapshot(build1), Trees.snapshot(www.resolve("r1")));
        assertEquals(null, first.previousRelease());
        assertEquals(0, first.modified() + first.removed());
        assertEquals(Trees.snapshot(build1).values().stream().filter(v -> !v.equals("d")).count(), first.added());
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(www.resolve("r1/plain.txt"))));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(www.resolve("r1/with space.html"))));

        Path build2 = tmp.newFolder("build2").toPath();
        Files.delete(build2);
        Trees.copy(build1, build2);
        Trees.mutate(build2, new Random(11));
        Trees.write(build2, "with space.html", "changed\n");
        Map<String, String> r1Before = Trees.snapshot(www.resolve("r1"));
        Map<String, Object> r1Inodes = Deploys.inodes(www.resolve("r1"));

        RecordingListener l2 = new RecordingListener();
        Path report = tmp.newFolder().toPath();
        DeployResult second = Deploys.run(Deploys.request(build2, "r2", ssh, report, target.apply(link)), l2);

        assertEquals("r2", Files.readSymbolicLink(link).toString());
        // the release is the build plus the files it removed, kept as r1 had them (and their folders)
        Map<String, String> r2 = Trees.snapshot(www.resolve("r2"));
        Set<String> kept = second.kept().removedKept().stream().map(KeptFiles.Kept::path).collect(Collectors.toSet());
        assertFalse("the mutation removes files that are kept", kept.isEmpty());
        Map<String, String> built = new TreeMap<>(r2);
        Map<String, String> build2Tree = Trees.snapshot(build2);
        built.keySet().removeIf(p -> kept.contains(p) || (!build2Tree.containsKey(p) && "d".equals(r2.get(p))
                && kept.stream().anyMatch(k -> k.startsWith(p + "/"))));
        assertEquals(build2Tree, built);
        for (String k : kept) {
            assertEquals(k, r1Before.get(k), r2.get(k));
            assertFalse("pages are never kept: " + k, k.endsWith(".html"));
        }
        assertEquals("the live release must not change while staging", r1Before, Trees.snapshot(www.resolve("r1")));
        assertEquals(r1Inodes, Deploys.inodes(www.resolve("r1")));
        assertEquals(Trees.expectedChanges(Trees.snapshot(build1), Trees.snapshot(build2)), Deploys.lines(second));
        assertEquals("r1", second.previousRelease());
        assertEquals("hard links", second.hosts().get(0).seed());
        assertTrue("r1's hashes come from the manifest stored with it: " + l2.infos, l2.infos.stream().anyMatch(
                i -> i.matches("\\d+ hashes taken from the manifest stored with release r1, 0 files to hash on the"
                        + " server")));
        assertEquals("only the changed bytes are sent",
                second.changes().bytes(ChangeKind.ADDED) + second.changes().bytes(ChangeKind.MODIFIED),
                second.bytesUploaded());
        Map<String, Object> r2Inodes = Deploys.inodes(www.resolve("r2"));
        long shared = r2Inodes.entrySet().stream().filter(e -> e.getValue().equals(r1Inodes.get(e.getKey()))).count();
        assertEquals("every unchanged or kept file is a hard link to r1's",
                countUnchangedFiles(build1, build2) + kept.size(), shared);
        for (String changed : Deploys.lines(second)) {
            String path = changed.substring(2);
            if (r1Inodes.containsKey(path) && r2Inodes.containsKey(path) && !kept.contains(path)) {
                assertNotEquals("a changed file must be a new inode: " + path, r1Inodes.get(path), r2Inodes.get(path));
            }
        }
        assertTrue(Files.exists(report.resolve("changes.txt")));
        String json = Files.readString(report.resolve("report.json"));
        for (String field : new String[] {"\"previousRelease\" : \"r1\"", "\"hosts\" : [", "\"seed\" : \"hard links\"",
            "\"uploaded\" : " + second.bytesUploaded(), "\"stageMs\"", "\"verifyMs\"", "\"switchMs\""}) {
            assertTrue(field + " in " + json, json.contains(field));
        }
        for (String canary : Trees.CANARIES) {
            assertFalse(Files.exists(www.resolve(canary)));
            assertFalse(Files.exists(www.resolve("r2").resolve(canary)));
            assertFalse(Files.exists(Path.of(System.getProperty("user.home")).resolve(canary)));
        }
        assertFalse("no lock left behind", Files.exists(www.resolve(".cloudfront-deploy/lock")));
    }

    private static long countUnchangedFiles(Path a, Path b) throws Exception {
        Map<String, String> before = Trees.snapshot(a);
        Map<String, String> after = Trees.snapshot(b);
        return before.entrySet().stream()
                .filter(e -> e.getValue().startsWith("f:") && e.getValue().equals(after.get(e.getKey())))
                .count();
    }
}
