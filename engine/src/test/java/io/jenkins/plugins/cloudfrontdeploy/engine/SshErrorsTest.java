package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Diffs;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Processes;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every way a connection or listing can fail ends in one clear message that names the value and the fix. */
public class SshErrorsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;
    private Path key;
    private Path www;
    private Path build;
    private EmbeddedSshServer server;

    @Before
    public void setUp() throws Exception {
        dir = tmp.getRoot().toPath();
        key = TestKeys.generate(dir, "id_ok", "ed25519", "", false);
        www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.0"), "index.html", "old\n");
        Trees.write(www.resolve("1.0.0"), "same-size.txt", "aaaa\n");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.0"));
        build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "new content\n");
        Trees.write(build, "same-size.txt", "bbbb\n");
    }

    @After
    public void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private EmbeddedSshServer start(EmbeddedSshServer.Builder b) throws Exception {
        server = b.authorizedKeys(TestKeys.pub(key)).start();
        return server;
    }

    private Path knownHosts(String... lines) throws Exception {
        Path f = dir.resolve("known_hosts");
        Files.writeString(f, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
        return f;
    }

    private SshSettings.Builder trusted() throws Exception {
        return SshSettings.builder().identityFile(key).knownHostsFile(knownHosts(server.knownHostsLine()));
    }

    private String fail(String target, SshSettings settings) {
        DeployException e = assertThrows(DeployException.class,
                () -> Diffs.run(build, target, settings, dir.resolve("report"), new RecordingListener()));
        return e.getMessage();
    }

    private DiffResult diff(String target, SshSettings settings, RecordingListener l) throws Exception {
        return Diffs.run(build, target, settings, dir.resolve("report"), l);
    }

    private String target() {
        return server.url("tester", www.resolve("production").toString());
    }

    private String fingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, server.hostKey());
    }

    @Test
    public void unknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        start(EmbeddedSshServer.builder());
        String msg = fail(target(), SshSettings.builder().identityFile(key).knownHostsFile(knownHosts()).build());
        assertThat(msg, containsString("is not known"));
        assertThat(msg, containsString(fingerprint()));
        assertThat(msg, containsString("accept-new"));
        assertEquals("no command may run before the host is trusted", 0, server.execCount());
    }

    @Test
    public void changedHostKeyIsRefused() throws Exception {
        start(EmbeddedSshServer.builder());
        Path other = TestKeys.generate(dir, "other_host", "ecdsa", "", false);
        String[] pub = Files.readString(TestKeys.pub(other)).trim().split(" ");
        Path kh = knownHosts("[127.0.0.1]:" + server.port() + " " + pub[0] + " " + pub[1]);
        String msg = fail(target(), SshSettings.builder().identityFile(key).knownHostsFile(kh).build());
        assertThat(msg, containsString("HAS CHANGED"));
        assertThat(msg, containsString(fingerprint()));
        assertThat(msg, containsString("ssh-keygen -R '[127.0.0.1]:" + server.port() + "'"));
    }

    @Test
    public void hashedKnownHostsEntriesAreUnderstood() throws Exception {
        start(EmbeddedSshServer.builder());
        Path kh = knownHosts(server.knownHostsLine());
        Processes.run(dir, List.of("ssh-keygen", "-H", "-f", kh.toString()));
        assertTrue("ssh-keygen -H hashes the host name", Files.readString(kh).startsWith("|1|"));
        DiffResult r = diff(target(), SshSettings.builder().identityFile(key).knownHostsFile(kh).build(),
                new RecordingListener());
        assertEquals(2, r.modified());
    }

    @Test
    public void acceptNewTrustsOnFirstUseAndWritesTheKey() throws Exception {
        start(EmbeddedSshServer.builder());
        Path kh = dir.resolve("new/.ssh/known_hosts");
        RecordingListener l = new RecordingListener();
        diff(target(), SshSettings.builder().identityFile(key).knownHostsFile(kh)
                .hostKeyVerification(HostKeyVerification.ACCEPT_NEW).build(), l);
        assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.contains("trusting")));
        // written back: strict checking now accepts the same server
        assertThat(Files.readString(kh), containsString("127.0.0.1"));
        diff(target(), SshSettings.builder().identityFile(key).knownHostsFile(kh).build(), new RecordingListener());
    }

    @Test
    public void acceptNewStillRefusesAChangedKey() throws Exception {
        start(EmbeddedSshServer.builder());
        Path other = TestKeys.generate(dir, "other_host", "ed25519", "", false);
        String[] pub = Files.readString(TestKeys.pub(other)).trim().split(" ");
        Path kh = knownHosts("[127.0.0.1]:" + server.port() + " " + pub[0] + " " + pub[1]);
        String msg = fail(target(), SshSettings.builder().identityFile(key).knownHostsFile(kh)
                .hostKeyVerification(HostKeyVerification.ACCEPT_NEW).build());
        assertThat(msg, containsString("HAS CHANGED"));
    }

    @Test
    public void pinnedFingerprint() throws Exception {
        start(EmbeddedSshServer.builder());
        diff(target(), SshSettings.builder().identityFile(key).hostKeyVerification(HostKeyVerification.FINGERPRINT)
                .expectedFingerprint(fingerprint()).build(), new RecordingListener());
        String wrong = "SHA256:" + "A".repeat(43);
        String msg = fail(target(), SshSettings.builder().identityFile(key)
                .hostKeyVerification(HostKeyVerification.FINGERPRINT).expectedFingerprint(wrong).build());
        assertThat(msg, containsString("does not match"));
        assertThat(msg, containsString(fingerprint()));
        assertThat(msg, containsString(wrong));
    }

    @Test
    public void verificationOffIsLoudlyWarned() throws Exception {
        start(EmbeddedSshServer.builder());
        RecordingListener l = new RecordingListener();
        diff(target(), SshSettings.builder().identityFile(key).hostKeyVerification(HostKeyVerification.OFF).build(), l);
        assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.contains("HOST KEY VERIFICATION IS OFF")
                && w.contains(fingerprint())));
    }

    @Test
    public void wrongKeyIsRefused() throws Exception {
        start(EmbeddedSshServer.builder());
        Path stranger = TestKeys.generate(dir, "id_stranger", "ed25519", "", false);
        String msg = fail(target(), trusted().identityFile(stranger).build());
        assertThat(msg, containsString("refused the given key for user 'tester'"));
        assertThat(msg, containsString("authorized_keys"));
    }

    @Test
    public void encryptedKeysInOpenSshAndPemFormats() throws Exception {
        Path openssh = TestKeys.generate(dir, "id_openssh_enc", "ed25519", "s3cret pass", false);
        Path pem = TestKeys.generate(dir, "id_pem_enc", "rsa", "s3cret pass", true);
        Path authorized = dir.resolve("authorized");
        Files.writeString(authorized, Files.readString(TestKeys.pub(openssh)) + Files.readString(TestKeys.pub(pem)));
        server = EmbeddedSshServer.builder().authorizedKeys(authorized).start();
        Path kh = knownHosts(server.knownHostsLine());
        diff(target(), SshSettings.builder().identityFile(openssh).passphrase("s3cret pass".toCharArray())
                .knownHostsFile(kh).build(), new RecordingListener());
        // a key given as text (as a Jenkins credential holds it), PEM format
        diff(target(), SshSettings.builder().identityText(Files.readString(pem).toCharArray())
                .passphrase("s3cret pass".toCharArray()).knownHostsFile(kh).build(), new RecordingListener());

        String wrong = fail(target(), SshSettings.builder().identityFile(openssh)
                .passphrase("not it".toCharArray()).knownHostsFile(kh).build());
        assertThat(wrong, containsString("cannot decrypt the key in " + openssh));
        assertThat(wrong, containsString("passphrase"));
        String missing = fail(target(), SshSettings.builder().identityFile(pem).knownHostsFile(kh).build());
        assertThat(missing, containsString("is encrypted"));
        assertThat(missing, containsString("--passphrase-env"));
    }

    @Test
    public void passwordAuthentication() throws Exception {
        server = EmbeddedSshServer.builder().password("pw-123").start();
        Path kh = knownHosts(server.knownHostsLine());
        DiffResult r = diff(target(), SshSettings.builder().password("pw-123".toCharArray()).knownHostsFile(kh).build(),
                new RecordingListener());
        assertEquals(2, r.modified());
        String msg = fail(target(), SshSettings.builder().password("wrong".toCharArray()).knownHostsFile(kh).build());
        assertThat(msg, containsString("refused the password"));
        // no key was offered: authorized_keys has nothing to do with it
        assertThat(msg, containsString("check that the user and the password are right"));
        assertThat(msg, not(containsString("authorized_keys")));
    }

    @Test
    public void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String msg = fail("ssh://tester@127.0.0.1:" + port + "/var/www/production",
                SshSettings.builder().identityFile(key).knownHostsFile(knownHosts()).build());
        assertThat(msg, containsString("cannot connect to 127.0.0.1:" + port + ": connection refused"));
    }

    @Test
    public void silentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String msg = fail("ssh://tester@127.0.0.1:" + silent.getLocalPort() + "/var/www/production",
                    SshSettings.builder().identityFile(key).knownHostsFile(knownHosts())
                            .connectTimeout(Duration.ofSeconds(1)).authTimeout(Duration.ofSeconds(1)).build());
            assertThat(msg, containsString("no SSH answer from 127.0.0.1:" + silent.getLocalPort() + " within 2s"));
        }
    }

    @Test
    public void siteRootMissing() throws Exception {
        start(EmbeddedSshServer.builder());
        String msg = fail(server.url("tester", www.resolve("no-such-site/production").toString()), trusted().build());
        assertThat(msg, containsString("the folder " + www.resolve("no-such-site") + " does not exist"));
    }

    @Test
    public void firstDeployIsAnEmptyRemote() throws Exception {
        start(EmbeddedSshServer.builder());
        Files.delete(www.resolve("production"));
        RecordingListener l = new RecordingListener();
        DiffResult r = diff(target(), trusted().build(), l);
        assertEquals(2, r.added());
        assertEquals(0, r.modified());
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("first deploy")));
    }

    @Test
    public void firstDeployWithTheLocalTransport() throws Exception {
        Files.delete(www.resolve("production"));
        RecordingListener l = new RecordingListener();
        DiffResult r = diff(www.resolve("production").toString(), null, l);
        assertEquals(2, r.added());
        assertEquals(null, r.liveRelease().releaseName());
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("first deploy")));
    }

    @Test
    public void plainFolderTargetStillDiffsWithAWarning() throws Exception {
        start(EmbeddedSshServer.builder());
        Files.delete(www.resolve("production"));
        Trees.copy(www.resolve("1.0.0"), www.resolve("production"));
        RecordingListener l = new RecordingListener();
        DiffResult r = diff(target(), trusted().build(), l);
        assertEquals(2, r.modified());
        assertTrue(l.warnings.toString(), l.warnings.stream().anyMatch(w -> w.contains("not a symbolic link")));
    }

    @Test
    public void permissionDeniedOnTheServer() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        EmbeddedSshServer.Builder b = EmbeddedSshServer.builder();
        if (root) {
            b.commandsAsNobody(); // root may read anything; the web server's deploy user may not
        }
        start(b);
        Path locked = www.resolve("1.0.0/private");
        Trees.write(locked, "secret.html", "x\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r--------"));
        if (root) {
            // nobody must reach the release, but not into the locked folder
            for (Path p = www; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(www.resolve("1.0.0"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            String msg = fail(target(), trusted().build());
            assertThat(msg, containsString("listing the release behind"));
            assertThat(msg, containsString("Permission denied"));
            assertThat(msg, containsString("give the user tester read access"));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    public void noHashingToolOnTheServer() throws Exception {
        Path bin = tmp.newFolder("bin").toPath();
        for (String tool : List.of("find", "xargs", "nproc")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin/" + tool));
        }
        start(EmbeddedSshServer.builder().commandPath(bin.toString()));
        String msg = fail(target(), trusted().build());
        assertThat(msg, containsString("neither sha256sum nor shasum is installed on 127.0.0.1:" + server.port()));
    }

    @Test
    public void remoteNameThatIsNotUtf8IsRefusedByName() throws Exception {
        start(EmbeddedSshServer.builder());
        Processes.run(www.resolve("1.0.0"), List.of("bash", "-c", "printf x > $'bad\\xffname.html'"));
        String msg = fail(target(), trusted().build());
        assertThat(msg, containsString("'bad\\xffname.html'"));
        assertThat(msg, containsString("is not valid UTF-8"));
    }

    @Test
    public void localSourceMissing() throws Exception {
        DeployException e = assertThrows(DeployException.class, () -> Diffs.run(dir.resolve("nope"),
                www.resolve("production").toString(), null, dir.resolve("report"), new RecordingListener()));
        assertThat(e.getMessage(), containsString("the source folder " + dir.resolve("nope") + " does not exist"));
    }
}
