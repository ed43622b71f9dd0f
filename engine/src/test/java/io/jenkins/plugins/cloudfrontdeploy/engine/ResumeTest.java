package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CuttingRelay;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A deploy cut off by the network at many points (a relay drops the connection after a given number of bytes)
 * leaves production on the complete old release every time; running the same deploy again finishes it without
 * sending again what is already in place, and a deploy that died after its switch still reports the diff against
 * the release that was live before it.
 */
public class ResumeTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(300);

    private Path site(String name, Path build) throws Exception {
        Path www = tmp.newFolder(name).toPath();
        Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(), www.resolve("production").toString()),
                new RecordingListener());
        return www;
    }

    private static void randomFiles(Path root, int count, Random random) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[8_000 + random.nextInt(40_000)];
            random.nextBytes(data);
            Path p = root.resolve("dir" + (i % 5) + "/file " + i + ".bin");
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        }
    }

    @Test
    public void cutAnywhereThenResume() throws Exception {
        Random random = new Random(5);
        Path build1 = tmp.newFolder("build1").toPath();
        randomFiles(build1, 60, random);
        Trees.write(build1, "it's $(here).html", "old\n");
        Path build2 = tmp.newFolder("build2").toPath();
        Files.delete(build2);
        Trees.copy(build1, build2);
        randomFiles(build2.resolve("dir1"), 20, random); // added and replaced files
        Files.delete(build2.resolve("dir0/file 0.bin"));
        Trees.write(build2, "it's $(here).html", "new content\n");
        TreeSet<String> expected = Trees.expectedChanges(Trees.snapshot(build1), Trees.snapshot(build2));

        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            // how many bytes a whole deploy sends, measured on a twin site
            Path probe = site("probe", build1);
            long whole;
            try (CuttingRelay relay = new CuttingRelay(server.port(), Long.MAX_VALUE)) {
                Deploys.run(Deploys.request(build2, "r2", ssh(server, relay, key), tmp.newFolder().toPath(),
                        url(relay, probe)), new RecordingListener());
                whole = relay.sent();
            }

            Path www = site("www", build1);
            Map<String, String> r1 = Trees.snapshot(www.resolve("r1"));
            int failures = 0;
            for (double fraction : new double[] {0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.98}) {
                try (CuttingRelay relay = new CuttingRelay(server.port(), (long) (whole * fraction))) {
                    // the deploy before died with its connection, lock held: the operator breaks it
                    Deploys.run(Deploys.request(build2, "r2", ssh(server, relay, key), tmp.newFolder().toPath(),
                            url(relay, www)).breakLock(true), new RecordingListener());
                    break; // what was left needed fewer bytes than the cut: done
                } catch (DeployException | java.io.IOException | java.io.UncheckedIOException e) {
                    failures++;
                }
                assertEquals("cut at " + fraction, "r1", Files.readSymbolicLink(www.resolve("production")).toString());
                assertEquals("cut at " + fraction, r1, Trees.snapshot(www.resolve("r1")));
            }
            assertTrue("the cuts must have failed some attempts: " + failures, failures >= 3);

            Path report = tmp.newFolder().toPath();
            DeployResult done;
            try (CuttingRelay relay = new CuttingRelay(server.port(), Long.MAX_VALUE)) {
                done = Deploys.run(Deploys.request(build2, "r2", ssh(server, relay, key), report, url(relay, www))
                        .breakLock(true), new RecordingListener());
            }
            if (!"r2".equals(Files.readSymbolicLink(www.resolve("production")).toString())) {
                throw new AssertionError("the resumed deploy did not switch");
            }
            Map<String, String> served = new java.util.TreeMap<>(Trees.snapshot(build2));
            served.put("dir0/file 0.bin", r1.get("dir0/file 0.bin")); // removed by the build, kept one deploy
            assertEquals(served, Trees.snapshot(www.resolve("r2")));
            assertEquals(r1, Trees.snapshot(www.resolve("r1")));
            assertEquals("the resumed deploy reports the changes against r1", expected, Deploys.lines(done));
            long changedBytes = done.changes().bytes(io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind.ADDED)
                    + done.changes().bytes(io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind.MODIFIED);
            assertTrue("files already staged are not sent again: " + done.bytesUploaded() + " of " + changedBytes,
                    done.bytesUploaded() < changedBytes);

            // a deploy that dies right after its switch ...
            Path build3 = tmp.newFolder("build3").toPath();
            Files.delete(build3);
            Trees.copy(build2, build3);
            Trees.write(build3, "third.html", "3\n");
            RecordingListener diesAfterSwitch = new RecordingListener() {
                @Override
                public void stageFinished(Stage stage, String summary) {
                    if (stage == Stage.SWITCH) {
                        throw new IllegalStateException("killed after the switch");
                    }
                }
            };
            assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build3, "r3", null,
                    tmp.newFolder().toPath(), www.resolve("production").toString()), diesAfterSwitch));
            assertEquals("r3", Files.readSymbolicLink(www.resolve("production")).toString());
            // ... is run again: nothing left to do, but the diff against r2 is reported, not an empty one
            DeployResult again = Deploys.run(Deploys.request(build3, "r3", null, tmp.newFolder().toPath(),
                    www.resolve("production").toString()), new RecordingListener());
            assertEquals(new TreeSet<>(java.util.List.of("A third.html")), Deploys.lines(again));
            assertEquals("r2", again.previousRelease());
            assertEquals(0, again.bytesUploaded());
        }
    }

    private static String url(CuttingRelay relay, Path www) {
        return "ssh://tester@127.0.0.1:" + relay.port() + www.resolve("production");
    }

    private SshSettings ssh(EmbeddedSshServer server, CuttingRelay relay, Path key) throws Exception {
        Path knownHosts = Files.createTempFile(tmp.getRoot().toPath(), "known_hosts", "");
        Files.writeString(knownHosts, server.knownHostsLine().replace("]:" + server.port() + " ",
                "]:" + relay.port() + " ") + "\n");
        return SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
    }
}
