package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A site root whose state folder the deploy user cannot create or write is reported as a permission problem naming
 * the user, the folder and the fix (it used to wait five minutes for a lock "held by null").
 */
public class LockPermissionTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    private Path www;
    private Path build;

    @Before
    public void site() throws Exception {
        www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("r0"), "index.html", "old\n");
        Files.createSymbolicLink(www.resolve("production"), Path.of("r0"));
        build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "new\n");
    }

    @After
    public void writableAgain() throws Exception {
        Files.setPosixFilePermissions(www, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (Files.isDirectory(www.resolve(".cloudfront-deploy"))) {
            Files.setPosixFilePermissions(www.resolve(".cloudfront-deploy"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /**
     * Over SSH, as a user who may not write {@code folder}: as root, commands run as nobody and the folder stays
     * root's; otherwise the folder is made read-only.
     */
    private String failsOverSsh(Path folder) throws Exception {
        Path key = TestKeys.generate(tmp.newFolder("keys").toPath(), "id_test", "ed25519", "", false);
        EmbeddedSshServer.Builder b = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key));
        if (ROOT) {
            b.commandsAsNobody(); // root may write anywhere; the web server's deploy user may not
            Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try (EmbeddedSshServer sshd = b.start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            DeployException e = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", ssh,
                    tmp.newFolder().toPath(), sshd.url("tester", www.resolve("production").toString()))
                    .lockTimeout(Duration.ofMinutes(5)), new RecordingListener()));
            assertEquals("cannot take the deploy lock: the user '" + (ROOT ? "nobody" : System.getProperty("user.name"))
                    + "' cannot write to " + www.resolve(".cloudfront-deploy") + " on 127.0.0.1:" + sshd.port()
                    + " (Permission denied); give it write access to the site root " + www + " and to its"
                    + " .cloudfront-deploy folder", e.getMessage());
            assertEquals("production is untouched", "r0", Files.readSymbolicLink(www.resolve("production")).toString());
            return e.getMessage();
        }
    }

    @Test
    public void aSiteRootTheUserCannotWrite() throws Exception {
        assertThat(failsOverSsh(www), not(containsString("null")));
    }

    @Test
    public void aStateFolderTheUserCannotWrite() throws Exception {
        Files.createDirectory(www.resolve(".cloudfront-deploy"));
        assertThat(failsOverSsh(www.resolve(".cloudfront-deploy")), not(containsString("null")));
    }

    @Test
    public void aStateFolderThatIsAFile() throws Exception {
        Files.writeString(www.resolve(".cloudfront-deploy"), "not a folder\n");
        DeployException e = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", null,
                tmp.newFolder().toPath(), www.resolve("production").toString()), new RecordingListener()));
        assertEquals("cannot take the deploy lock: " + www.resolve(".cloudfront-deploy") + " on local is a file, not"
                + " a folder; this tool keeps its lock and journal in that folder: move the file away", e.getMessage());
    }
}
