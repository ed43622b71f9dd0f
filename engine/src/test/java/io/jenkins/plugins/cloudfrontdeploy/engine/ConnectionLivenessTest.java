package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshConnection;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CuttingRelay;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.LoopbackHttpServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A connection that dies under a deploy, against a real OpenSSH sshd behind a relay: a link gone silent both ways is
 * noticed by the keepalives within interval × (count + 1), not when an SFTP wait gives up 20 minutes later; a reset
 * link is one line too; either way production is untouched and the same deploy run again finishes the release.
 */
public class ConnectionLivenessTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Far below the 20 minutes a stalled deploy used to hang. */
    @Rule
    public Timeout timeout = Timeout.seconds(120);

    private OpenSshServer sshd;
    private CuttingRelay relay;
    private Path www;
    private Path build;
    private Map<String, String> r1;

    @Before
    public void site() throws Exception {
        sshd = OpenSshServer.start(tmp.newFolder("sshd").toPath());
        relay = new CuttingRelay(sshd.port(), Long.MAX_VALUE);
        Path build1 = tmp.newFolder("build1").toPath();
        Trees.write(build1, "index.html", "one\n");
        www = tmp.newFolder("www").toPath();
        Deploys.run(Deploys.request(build1, "r1", null, tmp.newFolder().toPath(), www.resolve("production").toString()),
                new RecordingListener());
        r1 = Trees.snapshot(www.resolve("r1"));
        // about 3 MB to stage: the link dies well inside it
        build = tmp.newFolder("build2").toPath();
        Random random = new Random(13);
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[80_000];
            random.nextBytes(data);
            Path p = build.resolve("assets/file" + i + ".bin");
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        }
        Trees.write(build, "index.html", "two\n");
    }

    @After
    public void stop() throws Exception {
        relay.close();
        sshd.close();
    }

    /** Keepalives every second, two may go unanswered: a dead link is noticed within 3 seconds. */
    private SshSettings quickKeepalives() throws Exception {
        Path knownHosts = tmp.newFile().toPath();
        Files.writeString(knownHosts, Files.readString(sshd.knownHosts())
                .replace("]:" + sshd.port() + " ", "]:" + relay.port() + " "));
        return SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(knownHosts)
                .aliveInterval(Duration.ofSeconds(1)).aliveCountMax(2).build();
    }

    private String target() {
        return "ssh://" + sshd.user() + "@127.0.0.1:" + relay.port() + www.resolve("production");
    }

    /** A listener that has the relay fail the link 1 MB into the staging. */
    private RecordingListener failMidStaging(boolean reset) {
        return new RecordingListener() {
            @Override
            public void stageStarted(Stage stage, long total) {
                if (stage == Stage.STAGE) {
                    if (reset) {
                        relay.reset(true);
                        relay.cutAfter(relay.sent() + 1_000_000);
                    } else {
                        relay.stallAt(relay.sent() + 1_000_000);
                    }
                }
            }
        };
    }

    private DeployException deployFails(RecordingListener listener) throws Exception {
        SshSettings ssh = quickKeepalives();
        return assertThrows(DeployException.class, () -> Deploys.run(
                Deploys.request(build, "r2", ssh, tmp.newFolder().toPath(), target()), listener));
    }

    private void assertOneCleanLine(String message) {
        assertThat(message, not(containsString("\n")));
        assertThat(message, not(containsString("IoWriteFuture")));
        assertThat(message, not(containsString("free space")));
        assertThat(message, not(containsString("null")));
        assertThat(message, not(containsString("Exception")));
    }

    /** The same deploy run again, the dead run's lock broken (it is this very process, so not provably gone). */
    private void runAgainFinishes() throws Exception {
        relay.dropConnections();
        relay.rearm();
        DeployResult done = Deploys.run(Deploys.request(build, "r2", quickKeepalives(), tmp.newFolder().toPath(),
                target()).breakLock(true), new RecordingListener());
        assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals(Trees.snapshot(build), Trees.snapshot(www.resolve("r2")));
        long changed = done.changes().bytes(ChangeKind.ADDED) + done.changes().bytes(ChangeKind.MODIFIED);
        assertTrue("what the dead run staged is not sent again: " + done.bytesUploaded() + " of " + changed,
                done.bytesUploaded() < changed);
    }

    @Test
    public void aStalledLinkIsNoticedByTheKeepalivesAndTheDeployResumes() throws Exception {
        // a live server that prints nothing for twice what the keepalives allow is kept: it answers them
        try (SshConnection c = SshConnection.open(SshTarget.parse(target()), quickKeepalives(),
                new RecordingListener())) {
            SshConnection.Captured r = c.capture("sleep 6; echo done", Duration.ofSeconds(60));
            assertEquals(r.stderr(), 0, r.exitStatus());
            assertEquals("done\n", new String(r.stdout(), StandardCharsets.UTF_8));
        }
        DeployException e = deployFails(failMidStaging(false));
        assertTrue("the relay stalled the link: " + e.getMessage(), relay.isStalled());
        assertTrue(e.getMessage(), Pattern.matches("connection to 127\\.0\\.0\\.1:" + relay.port() + " lost during"
                + " stage \\(no answer for \\d+ s\\); production still points at r1; run the same deploy again to"
                + " resume", e.getMessage()));
        assertOneCleanLine(e.getMessage());
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals(r1, Trees.snapshot(www.resolve("r1")));
        runAgainFinishes();
    }

    @Test
    public void aResetLinkIsOneLineWithoutTheLibrarysInternals() throws Exception {
        DeployException e = deployFails(failMidStaging(true));
        // "reset" when MINA reports the reset to its session listeners; on a loaded machine, about one run in three,
        // an upload's write finds the session already closing ("Write attempt on closing session") and no listener
        // was told why, so the loss can only be said as a close
        assertTrue(e.getMessage(), Pattern.matches(Pattern.quote("connection to 127.0.0.1:" + relay.port()
                + " lost during stage (the connection was ") + "(reset|closed)" + Pattern.quote(" by the network or"
                + " the server); production still points at r1; run the same deploy again to resume"),
                e.getMessage()));
        assertOneCleanLine(e.getMessage());
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals(r1, Trees.snapshot(www.resolve("r1")));
        runAgainFinishes();
    }

    @Test
    public void aLinkClosedWhileTheServerHashesIsOneLineNotAMissingExitStatus() throws Exception {
        RecordingListener closesWhileHashing = new RecordingListener() {
            @Override
            public void stageStarted(Stage stage, long total) {
                if (stage == Stage.REMOTE_HASH) { // index.html has the same size in both builds: hashed there
                    relay.cutAfter(relay.sent() + 100);
                }
            }
        };
        SshSettings ssh = quickKeepalives();
        // hashed on the server, not taken from the manifest stored when r1 was deployed
        DeployException e = assertThrows(DeployException.class, () -> Deploys.run(
                Deploys.request(build, "r2", ssh, tmp.newFolder().toPath(), target()).verifyRemote(true),
                closesWhileHashing));
        assertEquals("connection to 127.0.0.1:" + relay.port() + " lost during list (the connection was closed by"
                + " the network or the server); production was not changed; run the same deploy again to resume",
                e.getMessage());
        assertOneCleanLine(e.getMessage());
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    @Test
    public void aRollbackWhoseLinkStallsSaysSoInOneLineAndRunsAgain() throws Exception {
        Deploys.run(Deploys.request(build, "r2", quickKeepalives(), tmp.newFolder().toPath(), target()),
                new RecordingListener());
        RecordingListener stallsAtTheSwitch = new RecordingListener() {
            @Override
            public void stageStarted(Stage stage, long total) {
                if (stage == Stage.SWITCH) { // before the journal is written and the link moved back
                    relay.stallAt(relay.sent() + 1);
                }
            }
        };
        DeployException e = assertThrows(DeployException.class, () -> rollback(false, stallsAtTheSwitch));
        assertTrue("the relay stalled the link: " + e.getMessage(), relay.isStalled());
        assertTrue(e.getMessage(), Pattern.matches("connection to 127\\.0\\.0\\.1:" + relay.port() + " lost during"
                + " the rollback \\(no answer for \\d+ s\\); run the same command again to finish it",
                e.getMessage()));
        assertOneCleanLine(e.getMessage());
        assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
        relay.dropConnections();
        relay.rearm();
        rollback(true, new RecordingListener()); // the dead run's lock is this process's: broken
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    private DeployResult rollback(boolean breakLock, RecordingListener listener) throws Exception {
        return new Rollback().run(new RollbackRequest(List.of(SshTarget.parse(target())), null, quickKeepalives(),
                null, tmp.newFolder().toPath().toString(), null, breakLock, false, null), listener);
    }

    @Test
    public void aPortThatSpeaksHttpIsNamed() throws Exception {
        try (LoopbackHttpServer http = new LoopbackHttpServer("http", exchange -> exchange.close())) {
            http.start();
            int port = http.endpoint().getPort();
            DeployException e = assertThrows(DeployException.class, () -> SshConnection.open(
                    SshTarget.parse("ssh://u@127.0.0.1:" + port + "/srv/production"),
                    SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts()).build(),
                    new RecordingListener()));
            assertEquals("the server at 127.0.0.1:" + port + " did not answer as an SSH server (it sent"
                    + " \"HTTP/1.1 400 Bad Request\"); check the port in --target (SSH is usually 22)", e.getMessage());
        }
    }
}
