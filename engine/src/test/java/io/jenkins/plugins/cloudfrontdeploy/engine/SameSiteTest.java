package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
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
import java.time.Duration;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * One site given twice under two names (127.0.0.1 and localhost; a path and the same path through a linked folder)
 * would wait for its own lock: the second name finds the lock this deploy just took, and the deploy stops at once,
 * naming both targets, with nothing written but the lock, which it releases.
 */
public class SameSiteTest {
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

    private void refused(SshSettings ssh, String first, String second) throws Exception {
        Map<String, String> before = Trees.snapshot(www);
        DeployException e = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", ssh,
                tmp.newFolder().toPath(), first, second).lockTimeout(Duration.ofMinutes(5)), new RecordingListener()));
        assertEquals(second + " and " + first + " are the same site on the same server (its lock is the one this"
                + " deploy just took): give each server once", e.getMessage());
        Files.deleteIfExists(www.resolve(".cloudfront-deploy")); // made for the lock, empty again
        assertEquals("nothing written, the lock released", before, Trees.snapshot(www));
    }

    @Test
    public void oneServerByAddressAndByName() throws Exception {
        Path key = TestKeys.generate(tmp.newFolder("keys").toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer sshd = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n"
                    + sshd.knownHostsLine().replace("[127.0.0.1]", "[localhost]") + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            String path = www.resolve("production").toString();
            refused(ssh, sshd.url("tester", path), "ssh://tester@localhost:" + sshd.port() + path);
        }
    }

    @Test
    public void oneFolderByTwoPaths() throws Exception {
        Path alias = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("alias"), www);
        refused(null, www.resolve("production").toString(), alias.resolve("production").toString());
    }
}
