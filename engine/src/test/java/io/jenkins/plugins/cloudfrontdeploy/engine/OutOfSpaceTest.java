package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FullDisk;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A disk that fills while a release is staged: the failure says the server is out of space, which folder holds the
 * partial copy, and the two ways on; once space is freed, the same deploy resumes and finishes. The server's writes
 * fail with the kernel's own ENOSPC ({@link FullDisk}).
 */
public class OutOfSpaceTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    private static void bigFiles(Path root, int count, Random random) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[100_000];
            random.nextBytes(data);
            Files.createDirectories(root.resolve("media"));
            Files.write(root.resolve("media/clip" + i + ".bin"), data);
        }
    }

    @Test
    public void aFullDiskNamesThePartialReleaseAndARerunResumesOnceSpaceIsFreed() throws Exception {
        Random random = new Random(13);
        Path build1 = tmp.newFolder("build1").toPath();
        Trees.write(build1, "index.html", "home 1\n");
        Path build2 = tmp.newFolder("build2").toPath();
        Trees.write(build2, "index.html", "home 2\n");
        bigFiles(build2, 6, random);
        Path www = tmp.newFolder("www").toPath();
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        FullDisk disk = new FullDisk();
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key))
                .sftpFiles(disk).sftpErrors(FullDisk.ERROR_TEXT).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            String target = server.url("tester", www.resolve("production").toString());
            Deploys.run(Deploys.request(build1, "r1", ssh, tmp.newFolder().toPath(), target),
                    new RecordingListener());

            disk.free.set(250_000); // room for two and a half of the six new files
            DeployFailedException failed = assertThrows(DeployFailedException.class, () -> Deploys.run(
                    Deploys.request(build2, "r2", ssh, tmp.newFolder().toPath(), target), new RecordingListener()));
            String m = failed.getMessage();
            assertThat(m, containsString("127.0.0.1:" + server.port() + " is out of space (No space left on device)"
                    + " in " + www + ": staging release r2 stopped, and its partial copy stays in " + www.resolve("r2")
                    + "; once space is freed, a re-run resumes it, or remove it with cloudfront-deploy releases"
                    + " --target " + target + " --prune-partial — production still serves r1; run the same deploy"
                    + " again to finish it"));
            assertThat(m, not(containsString("check free space")));
            assertFalse(m, m.contains("\n"));
            assertTrue(Files.isDirectory(www.resolve("r2")));
            assertEquals(Path.of("r1"), Files.readSymbolicLink(www.resolve("production")));

            disk.free.set(-1); // space freed: the same deploy resumes
            Deploys.run(Deploys.request(build2, "r2", ssh, tmp.newFolder().toPath(), target),
                    new RecordingListener());
            assertEquals(Path.of("r2"), Files.readSymbolicLink(www.resolve("production")));
            assertEquals(Trees.snapshot(build2), Trees.snapshot(www.resolve("r2")));
        }
    }
}
