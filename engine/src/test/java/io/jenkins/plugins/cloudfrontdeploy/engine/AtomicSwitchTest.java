package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.release.DeployLock;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.LocalServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.RemoteServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshConnection;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * While the link is switched back and forth many times, a reader in a tight loop reads pages through it, as a web
 * server would, and must always get one whole release: never a missing file, never a page of one release next to a
 * page of the other. Each way of switching is tried: rename on this machine, SFTP posix-rename on OpenSSH, and the
 * deploy's own switch, {@code ln -s} + {@code mv -T} in one script fenced by the deploy lock, run by this machine's
 * shell and over SSH.
 */
public class AtomicSwitchTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path www;
    private Path link;

    @Before
    public void releases() throws Exception {
        www = tmp.newFolder("www").toPath();
        for (String r : List.of("a", "b")) {
            Trees.write(www.resolve(r), "index.html", "release " + r + "\n");
            Trees.write(www.resolve(r), "css/site.css", "release " + r + "\n");
        }
        Files.createSymbolicLink(www.resolve("production"), Path.of("a"));
        link = www.resolve("production");
    }

    private interface Switch {
        void to(String release) throws Exception;
    }

    private void hammer(int switches, Switch sw) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    // resolve once, then read two pages of that one release, as a server does per request
                    Path release = link.toRealPath();
                    String page = Files.readString(release.resolve("index.html"));
                    String css = Files.readString(release.resolve("css/site.css"));
                    if (!page.equals(css) || !(page.equals("release a\n") || page.equals("release b\n"))) {
                        failures.add("mixed or partial: " + page + " / " + css);
                    }
                    String direct = Files.readString(link.resolve("index.html"));
                    if (!direct.equals("release a\n") && !direct.equals("release b\n")) {
                        failures.add("unexpected page: " + direct);
                    }
                    reads.incrementAndGet();
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "reader");
        reader.start();
        try {
            for (int i = 0; i < switches; i++) {
                long before = reads.get();
                sw.to(i % 2 == 0 ? "b" : "a");
                // a whole read after each switch, however the threads are scheduled: reads overlap the switches
                while (reads.get() <= before + 1 && reader.isAlive()) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        assertEquals("readers saw: " + failures, Set.of(), failures);
        assertTrue("the reader must have run during the switches: " + reads.get(), reads.get() > switches);
        assertEquals(switches % 2 == 0 ? "a" : "b", Files.readSymbolicLink(link).toString());
        try (var s = Files.list(www)) {
            assertEquals("no temporary link left", List.of("a", "b", "production"), s.map(p -> p.getFileName()
                    .toString()).filter(n -> !n.equals(SiteLayout.STATE_DIR)).sorted().toList());
        }
    }

    @Test
    public void localRename() throws Exception {
        try (Server server = new LocalServer(SshTarget.parse(link.toString()), Duration.ofMinutes(1))) {
            hammer(500, r -> server.replaceLink(link.toString(), r));
        }
    }

    @Test
    public void sftpPosixRenameOnOpenSsh() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath());
                Server server = new RemoteServer(SshConnection.open(SshTarget.parse(sshd.url(link.toString())),
                        SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts()).build(),
                        ProgressListener.NONE))) {
            hammer(200, r -> server.replaceLink(link.toString(), r));
        }
    }

    /** The switch a deploy makes: the lock's guard and the rename in one script, on this machine. */
    @Test
    public void fencedScriptLocally() throws Exception {
        try (Server server = new LocalServer(SshTarget.parse(link.toString()), Duration.ofMinutes(1));
                DeployLock lock = DeployLock.acquire(server, SiteLayout.of(server.target(), null), "a",
                        Duration.ZERO, false, ProgressListener.NONE)) {
            hammer(100, r -> server.replaceLink(link.toString(), r, lock));
        }
    }

    @Test
    public void fencedScriptOverSsh() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer sshd = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
            try (RemoteServer server = new RemoteServer(SshConnection.open(
                    SshTarget.parse(sshd.url("tester", link.toString())),
                    SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build(),
                    ProgressListener.NONE))) {
                DeployLock lock = DeployLock.acquire(server, SiteLayout.of(server.target(), null), "a",
                        Duration.ZERO, false, ProgressListener.NONE);
                hammer(40, r -> server.replaceLink(link.toString(), r, lock));
                lock.close();
            }
        }
    }
}
