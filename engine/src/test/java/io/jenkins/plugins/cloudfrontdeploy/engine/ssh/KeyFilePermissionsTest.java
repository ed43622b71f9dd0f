package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A private key file that group or others may read is refused as OpenSSH refuses it, with the chmod that fixes it;
 * the same key handed over as text (as the Jenkins plugin does) and a file system without POSIX modes are not.
 */
public class KeyFilePermissionsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;
    private Path key;
    private Path knownHosts;
    private EmbeddedSshServer server;

    @Before
    public void setUp() throws Exception {
        dir = tmp.getRoot().toPath();
        key = TestKeys.generate(dir, "id", "ed25519", "", false);
        server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
    }

    @After
    public void tearDown() throws Exception {
        server.close();
    }

    private SshConnection connect(SshSettings.Builder settings) {
        return SshConnection.open(SshTarget.parse(server.url("tester", "/srv/production")),
                settings.knownHostsFile(knownHosts).build(), new RecordingListener());
    }

    private String refused(String mode) throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
        DeployException e = assertThrows(DeployException.class,
                () -> connect(SshSettings.builder().identityFile(key)).close());
        assertEquals("nothing may run with a refused key", 0, server.execCount());
        return e.getMessage();
    }

    @Test
    public void keyFileReadableByOthersOrGroupIsRefusedWithTheChmod() throws Exception {
        assertEquals("UNPROTECTED PRIVATE KEY FILE: " + key + " may be read by group or others (permissions 0644),"
                + " so OpenSSH would ignore it and this tool refuses it; run chmod 600 " + key, refused("rw-r--r--"));
        assertEquals("UNPROTECTED PRIVATE KEY FILE: " + key + " may be read by group or others (permissions 0640),"
                + " so OpenSSH would ignore it and this tool refuses it; run chmod 600 " + key, refused("rw-r-----"));

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        try (SshConnection c = connect(SshSettings.builder().identityFile(key))) {
            assertEquals(0, c.capture("true", Duration.ofSeconds(30)).exitStatus());
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        try (SshConnection c = connect(SshSettings.builder().identityFile(key))) {
            assertEquals(0, c.capture("true", Duration.ofSeconds(30)).exitStatus());
        }
    }

    @Test
    public void chmodQuotesAPathWithSpaces() throws Exception {
        Path spaced = Files.copy(key, dir.resolve("my key"));
        Files.setPosixFilePermissions(spaced, PosixFilePermissions.fromString("rw-rw-rw-"));
        DeployException e = assertThrows(DeployException.class,
                () -> connect(SshSettings.builder().identityFile(spaced)).close());
        assertEquals("UNPROTECTED PRIVATE KEY FILE: " + spaced + " may be read by group or others (permissions 0666),"
                + " so OpenSSH would ignore it and this tool refuses it; run chmod 600 '" + spaced + "'", e.getMessage());
    }

    @Test
    public void keyHandedOverAsTextIsNotChecked() throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        try (SshConnection c = connect(SshSettings.builder().identityText(Files.readString(key).toCharArray()))) {
            assertEquals(0, c.capture("true", Duration.ofSeconds(30)).exitStatus());
        }
    }

    @Test
    public void fileSystemWithoutPosixModesIsNotChecked() throws Exception {
        try (FileSystem zip = FileSystems.newFileSystem(dir.resolve("keys.zip"), Map.of("create", "true"))) {
            Path inZip = Files.copy(key, zip.getPath("/id"));
            assertEquals("a file system without POSIX modes, as on Windows", null,
                    Files.getFileAttributeView(inZip, PosixFileAttributeView.class));
            KeyFilePermissions.check(inZip); // no refusal
        }
    }
}
