package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Diffs;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The same hostile tree, diffed through every way of reaching the server: local files, a shell over the embedded
 * MINA server, SFTP alone, real OpenSSH, and OpenSSH restricted to internal-sftp. Each must give exactly the change
 * set computed independently by {@link Trees#expectedChanges}, and no file name may ever be run by a shell.
 */
public class RemoteDiffTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path www;
    private static Path build;
    private static Path key;
    private static TreeSet<String> expected;

    @BeforeClass
    public static void trees() throws Exception {
        www = tmp.newFolder("www").toPath();
        Path live = www.resolve("1.0.3");
        Files.createDirectories(live);
        for (String name : Trees.HOSTILE_NAMES) {
            Trees.write(live, name, "live " + name + "\n");
            Trees.write(live, "nested/" + name.substring(0, Math.min(name.length(), 60)) + "/deeper/" + "f.txt",
                    name + "\n");
        }
        Trees.link(live, "links/to-index", "../plain.txt");
        Trees.write(live, "empty.txt", "");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.3"));
        build = tmp.newFolder("build").toPath();
        Files.delete(build);
        Trees.copy(live, build);
        Trees.mutate(build, new Random(7));
        // and a few changes the random walk may miss, for certain
        Trees.write(build, "with space.html", "changed\n");
        Files.delete(build.resolve("it's quoted.js"));
        Trees.write(build, "brand new $(touch cfd-canary-subst).txt", "new\n");
        expected = Trees.expectedChanges(Trees.snapshot(live), Trees.snapshot(build));
        key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
    }

    @AfterClass
    public static void noNameWasExecuted() {
        for (String canary : Trees.CANARIES) {
            for (Path dir : new Path[] {Path.of(System.getProperty("user.home")), Path.of("").toAbsolutePath(),
                    www, www.resolve("1.0.3"), Path.of("/")}) {
                assertFalse("a file name was executed by a shell: " + dir.resolve(canary) + " exists",
                        Files.exists(dir.resolve(canary)));
            }
        }
    }

    private static SshSettings settings(Path knownHosts, Path identity) {
        return SshSettings.builder().identityFile(identity).knownHostsFile(knownHosts).build();
    }

    private static Path knownHosts(String line) throws Exception {
        Path f = Files.createTempFile(tmp.getRoot().toPath(), "known_hosts", "");
        Files.writeString(f, line + "\n");
        return f;
    }

    @Test
    public void expectationIsNotTrivial() {
        assertTrue(expected.stream().anyMatch(s -> s.startsWith("A ")));
        assertTrue(expected.stream().anyMatch(s -> s.startsWith("M ")));
        assertTrue(expected.stream().anyMatch(s -> s.startsWith("D ")));
        assertTrue(expected.contains("M with space.html"));
    }

    @Test
    public void localTransport() throws Exception {
        RecordingListener l = new RecordingListener();
        DiffResult r = Diffs.run(build, www.resolve("production").toString(), null, tmp.newFolder().toPath(), l);
        assertEquals(expected, Diffs.lines(r));
        assertEquals("local", r.transport());
        assertEquals("1.0.3", r.liveRelease().releaseName());
    }

    @Test
    public void embeddedServerOverShell() throws Exception {
        try (EmbeddedSshServer server = EmbeddedSshServer.builder()
                .authorizedKeys(TestKeys.pub(key))
                .start()) {
            RecordingListener l = new RecordingListener();
            DiffResult r = Diffs.run(build, server.url("tester", www.resolve("production").toString()),
                    settings(knownHosts(server.knownHostsLine()), key), tmp.newFolder().toPath(), l);
            assertEquals(expected, Diffs.lines(r));
            assertEquals("exec", r.transport());
            assertEquals("1.0.3", r.liveRelease().releaseName());
            assertEquals(www.resolve("1.0.3").toRealPath().toString(), r.liveRelease().releasePath());
            assertEquals("no warning expected: " + l.warnings, 0, l.warnings.size());
        }
    }

    @Test
    public void embeddedServerWithSftpOnly() throws Exception {
        try (EmbeddedSshServer server = EmbeddedSshServer.builder()
                .authorizedKeys(TestKeys.pub(key))
                .exec(false)
                .start()) {
            RecordingListener l = new RecordingListener();
            DiffResult r = Diffs.run(build, server.url("tester", www.resolve("production").toString()),
                    settings(knownHosts(server.knownHostsLine()), key), tmp.newFolder().toPath(), l);
            assertEquals(expected, Diffs.lines(r));
            assertEquals("sftp", r.transport());
            assertEquals("1.0.3", r.liveRelease().releaseName());
            assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.contains("SFTP only")));
        }
    }

    @Test
    public void realOpenSsh() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath())) {
            RecordingListener l = new RecordingListener();
            DiffResult r = Diffs.run(build, sshd.url(www.resolve("production").toString()),
                    settings(sshd.knownHosts(), sshd.userKey()), tmp.newFolder().toPath(), l);
            assertEquals(expected, Diffs.lines(r));
            assertEquals("exec", r.transport());
            assertEquals("1.0.3", r.liveRelease().releaseName());
        }
    }

    @Test
    public void realOpenSshRestrictedToSftp() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath(), "ForceCommand internal-sftp")) {
            RecordingListener l = new RecordingListener();
            DiffResult r = Diffs.run(build, sshd.url(www.resolve("production").toString()),
                    settings(sshd.knownHosts(), sshd.userKey()), tmp.newFolder().toPath(), l);
            assertEquals(expected, Diffs.lines(r));
            assertEquals("sftp", r.transport());
            assertEquals("1.0.3", r.liveRelease().releaseName());
        }
    }
}
