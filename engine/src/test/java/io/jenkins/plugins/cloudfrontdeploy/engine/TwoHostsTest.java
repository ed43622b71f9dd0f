package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThat;
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
import java.util.Random;
import java.util.TreeSet;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** Two web servers behind a load balancer: two SSH servers on loopback, each with its own site root. */
public class TwoHostsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(180);

    private EmbeddedSshServer one;
    private EmbeddedSshServer two;
    private Path key;
    private Path knownHosts;
    private Path wwwOne;
    private Path wwwTwo;

    @Before
    public void servers() throws Exception {
        key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        one = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start();
        two = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start();
        knownHosts = tmp.newFile("known_hosts").toPath();
        Files.writeString(knownHosts, one.knownHostsLine() + "\n" + two.knownHostsLine() + "\n");
        wwwOne = tmp.newFolder("one").toPath();
        wwwTwo = tmp.newFolder("two").toPath();
    }

    @After
    public void stop() throws Exception {
        one.close();
        two.close();
    }

    private SshSettings ssh() {
        return SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
    }

    private String[] targets() {
        return new String[] {one.url("tester", wwwOne.resolve("production").toString()),
            two.url("tester", wwwTwo.resolve("production").toString())};
    }

    private Path build(String name, int seed) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        Random random = new Random(seed);
        for (int i = 0; i < 30; i++) {
            byte[] data = new byte[20_000 + random.nextInt(20_000)];
            random.nextBytes(data);
            Files.write(b.resolve("file" + i + ".bin"), data);
        }
        Trees.write(b, "index.html", "release " + name + "\n");
        return b;
    }

    private String live(Path www) throws Exception {
        return Files.readSymbolicLink(www.resolve("production")).toString();
    }

    @Test
    public void bothAreDeployedAndSwitchedTogether() throws Exception {
        Path b1 = build("r1", 1);
        DeployResult first = Deploys.run(Deploys.request(b1, "r1", ssh(), tmp.newFolder().toPath(), targets()),
                new RecordingListener());
        assertEquals(2, first.hosts().size());
        Path b2 = build("r2", 2);
        DeployResult second = Deploys.run(Deploys.request(b2, "r2", ssh(), tmp.newFolder().toPath(), targets()),
                new RecordingListener());
        assertEquals("r2", live(wwwOne));
        assertEquals("r2", live(wwwTwo));
        assertEquals(Trees.snapshot(b2), Trees.snapshot(wwwOne.resolve("r2")));
        assertEquals(Trees.snapshot(b2), Trees.snapshot(wwwTwo.resolve("r2")));
        assertEquals(Trees.expectedChanges(Trees.snapshot(b1), Trees.snapshot(b2)), Deploys.lines(second));
        assertEquals("switched", second.hosts().get(0).state());
        assertEquals("switched", second.hosts().get(1).state());
        assertEquals(2 * (second.changes().bytes(io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind.ADDED)
                + second.changes().bytes(io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind.MODIFIED)),
                second.bytesUploaded());
    }

    @Test
    public void divergentHostsAreRefusedUnlessAllowedThenTheUnionIsReported() throws Exception {
        Path b1 = build("r1", 1);
        Deploys.run(Deploys.request(b1, "r1", ssh(), tmp.newFolder().toPath(), targets()[0]), new RecordingListener());
        Path other = build("other", 3);
        Deploys.run(Deploys.request(other, "x1", ssh(), tmp.newFolder().toPath(), targets()[1]),
                new RecordingListener());
        Path b2 = build("r2", 2);
        DeployException e = assertThrows(DeployException.class, () -> Deploys.run(
                Deploys.request(b2, "r2", ssh(), tmp.newFolder().toPath(), targets()), new RecordingListener()));
        assertThat(e.getMessage(), containsString("do not serve the same release"));
        assertThat(e.getMessage(), containsString("x1"));
        assertFalse(Files.exists(wwwOne.resolve("r2")));
        assertFalse(Files.exists(wwwTwo.resolve("r2")));

        DeployResult r = Deploys.run(Deploys.request(b2, "r2", ssh(), tmp.newFolder().toPath(), targets())
                .allowDivergent(true), new RecordingListener());
        TreeSet<String> union = new TreeSet<>();
        for (String line : Trees.expectedChanges(Trees.snapshot(b1), Trees.snapshot(b2))) {
            union.add(line.substring(2));
        }
        for (String line : Trees.expectedChanges(Trees.snapshot(other), Trees.snapshot(b2))) {
            union.add(line.substring(2));
        }
        TreeSet<String> reported = new TreeSet<>();
        Deploys.lines(r).forEach(l -> reported.add(l.substring(2)));
        assertEquals(union, reported);
        assertEquals("r2", live(wwwOne));
        assertEquals("r2", live(wwwTwo));
    }

    @Test
    public void aHostFailingWhileStagingLeavesEveryProductionUntouched() throws Exception {
        Path b1 = build("r1", 1);
        Deploys.run(Deploys.request(b1, "r1", ssh(), tmp.newFolder().toPath(), targets()), new RecordingListener());
        Path b2 = build("r2", 2);
        // the second host's connection drops part way through the upload
        try (CuttingRelay relay = new CuttingRelay(two.port(), Long.MAX_VALUE)) {
            Path relayKnownHosts = tmp.newFile("known_hosts_relay").toPath();
            Files.writeString(relayKnownHosts, one.knownHostsLine() + "\n" + two.knownHostsLine()
                    .replace("]:" + two.port() + " ", "]:" + relay.port() + " ") + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(relayKnownHosts).build();
            String viaRelay = "ssh://tester@127.0.0.1:" + relay.port() + wwwTwo.resolve("production");
            Deploys.run(Deploys.request(b2, "probe", ssh, tmp.newFolder().toPath(), viaRelay).dryRun(true),
                    new RecordingListener());
            long beforeUpload = relay.sent();
            relay.cutAfter(relay.sent() + beforeUpload + 200_000);
            Exception cut = assertThrows(Exception.class, () -> Deploys.run(Deploys.request(b2, "r2", ssh,
                    tmp.newFolder().toPath(), targets()[0], viaRelay), new RecordingListener()));
            assertTrue("the cut must come during the upload: " + relay.sent() + " bytes sent; " + cut,
                    relay.sent() > 2 * beforeUpload);
        }
        assertEquals("r1", live(wwwOne));
        assertEquals("r1", live(wwwTwo));
        assertEquals(Trees.snapshot(b1), Trees.snapshot(wwwOne.resolve("r1")));
        assertEquals(Trees.snapshot(b1), Trees.snapshot(wwwTwo.resolve("r1")));
        // and the same deploy, run again, finishes on both
        Deploys.run(Deploys.request(b2, "r2", ssh(), tmp.newFolder().toPath(), targets()).breakLock(true),
                new RecordingListener());
        assertEquals("r2", live(wwwOne));
        assertEquals("r2", live(wwwTwo));
        assertEquals(Trees.snapshot(b2), Trees.snapshot(wwwTwo.resolve("r2")));
    }
}
