package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.instanceOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.LockLostException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A deploy that stalls while another breaks its lock (as the waiting message advises) and goes live: when the stalled
 * one goes on, the server refuses its switch, its deletions and its journal writes, and it never reaches CloudFront.
 * It stops with a message saying so, and production stays on the other deploy's release.
 */
public class LockFencingTest {
    private static final String DIST = "E2QWRUHAPOMQZL";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(180);

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private Path www;
    private Path link;

    @Before
    public void site() throws Exception {
        www = tmp.newFolder("www").toPath();
        link = www.resolve("production");
    }

    @After
    public void stop() {
        pool.shutdownNow();
    }

    /** Stops the deploy inside its lock, after the given stage, until told to go on: a stalled deploy. */
    private static final class StallingListener extends RecordingListener {
        final Stage after;
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);

        StallingListener(Stage after) {
            this.after = after;
        }

        @Override
        public void stageFinished(Stage stage, String summary) {
            super.stageFinished(stage, summary);
            if (stage == after) {
                stalled.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The stalled deploy's failure: it lost its lock. */
    private static DeployFailedException lockLost(Future<DeployResult> deploy) {
        ExecutionException e = assertThrows(ExecutionException.class, deploy::get);
        assertThat(e.getCause(), instanceOf(DeployFailedException.class));
        assertThat(e.getCause().getCause(), instanceOf(LockLostException.class));
        return (DeployFailedException) e.getCause();
    }

    private Path build(String name) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        Trees.write(b, "index.html", "home " + name + "\n");
        Trees.write(b, "about.html", "about " + name + "\n");
        return b;
    }

    private DeployRequest.Builder request(String release, String target, SshSettings ssh) throws Exception {
        return Deploys.request(build(release), release, ssh, tmp.newFolder().toPath(), target);
    }

    /** Deploy A stalls after verifying; B breaks the lock and goes live; A, going on, must not switch back. */
    private void aStalledDeployCannotSwitchBack(String target, SshSettings ssh, String host) throws Exception {
        Deploys.run(request("r0", target, ssh), new RecordingListener());
        StallingListener a = new StallingListener(Stage.VERIFY);
        Future<DeployResult> deployA = pool.submit(() -> Deploys.run(request("r1", target, ssh), a));
        assertTrue(a.stalled.await(60, TimeUnit.SECONDS));
        String journalA = Files.readString(www.resolve(".cloudfront-deploy/releases/r1.json"));

        RecordingListener b = new RecordingListener();
        Deploys.run(request("r2", target, ssh).breakLock(true), b);
        assertThat(b.warnings.toString(), containsString("breaking the deploy lock"));
        assertEquals("r2", Files.readSymbolicLink(link).toString());
        Map<String, String> releaseB = Trees.snapshot(www.resolve("r2"));
        String journalB = Files.readString(www.resolve(".cloudfront-deploy/releases/r2.json"));

        a.resume.countDown();
        String message = lockLost(deployA).getMessage();
        assertThat(message, containsString("the deploy lock on " + host));
        assertThat(message, containsString("was broken while this deploy ran"));
        assertThat(message, containsString("production there points at r2"));
        assertThat(message, containsString("This deploy stopped and changed nothing more"));

        assertEquals("production stays on the release of the deploy that broke the lock", "r2",
                Files.readSymbolicLink(link).toString());
        assertEquals(releaseB, Trees.snapshot(www.resolve("r2")));
        assertEquals(journalB, Files.readString(www.resolve(".cloudfront-deploy/releases/r2.json")));
        assertEquals("A wrote no journal once its lock was gone", journalA,
                Files.readString(www.resolve(".cloudfront-deploy/releases/r1.json")));
        assertTrue("the release before is kept", Files.isDirectory(www.resolve("r0")));
        assertFalse("no lock is left", Files.exists(www.resolve(".cloudfront-deploy/lock")));
        try (var s = Files.list(www)) {
            assertEquals("no temporary link left", List.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".cfd-switch")).toList());
        }
    }

    @Test
    public void aStalledDeployCannotSwitchBackLocally() throws Exception {
        aStalledDeployCannotSwitchBack(link.toString(), null, "local");
    }

    @Test
    public void aStalledDeployCannotSwitchBackOverSsh() throws Exception {
        Path key = TestKeys.generate(tmp.newFolder("keys").toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer sshd = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            aStalledDeployCannotSwitchBack(sshd.url("tester", link.toString()), ssh, "127.0.0.1:" + sshd.port());
        }
    }

    /** A stalls after its switch; B breaks the lock and goes live; A's retention (keep 2) then deletes nothing. */
    @Test
    public void aStalledDeployDeletesNothing() throws Exception {
        for (String r : List.of("r0a", "r0b", "r0c")) {
            Deploys.run(request(r, link.toString(), null), new RecordingListener());
        }
        StallingListener a = new StallingListener(Stage.SWITCH);
        Future<DeployResult> deployA = pool.submit(() -> Deploys.run(request("r1", link.toString(), null).keep(2),
                a));
        assertTrue(a.stalled.await(60, TimeUnit.SECONDS));
        String journalA = Files.readString(www.resolve(".cloudfront-deploy/releases/r1.json"));
        Deploys.run(request("r2", link.toString(), null).breakLock(true), new RecordingListener());

        a.resume.countDown();
        lockLost(deployA);
        assertEquals("r2", Files.readSymbolicLink(link).toString());
        for (String r : List.of("r0a", "r0b", "r0c", "r1", "r2")) {
            assertTrue(r + " is kept", Files.isDirectory(www.resolve(r)));
            assertTrue(r + "'s journal is kept", Files.exists(www.resolve(".cloudfront-deploy/releases/" + r
                    + ".json")));
        }
        assertEquals(journalA, Files.readString(www.resolve(".cloudfront-deploy/releases/r1.json")));
    }

    /** A stalls after its switch; B breaks the lock and goes live; A then sends CloudFront nothing. */
    @Test
    public void aStalledDeployInvalidatesNothing() throws Exception {
        try (FakeCloudFront fake = FakeCloudFront.start().addDistribution(DIST)) {
            InvalidationOptions invalidation = InvalidationOptions.builder()
                    .distributions(List.of(DIST))
                    .aws(new CloudFrontSettings(null, "AKIDEXAMPLE", "not-a-secret", null, null, null,
                            fake.endpoint().toString()))
                    .build();
            Deploys.run(request("r0", link.toString(), null), new RecordingListener());
            StallingListener a = new StallingListener(Stage.SWITCH);
            Future<DeployResult> deployA = pool.submit(() -> Deploys.run(request("r1", link.toString(), null)
                    .invalidation(invalidation), a));
            assertTrue(a.stalled.await(60, TimeUnit.SECONDS));
            Deploys.run(request("r2", link.toString(), null).breakLock(true), new RecordingListener());

            a.resume.countDown();
            lockLost(deployA);
            assertEquals("A sent CloudFront no invalidation", 0, fake.requestCount(FakeCloudFront.CREATE));
            assertEquals("r2", Files.readSymbolicLink(link).toString());
        }
    }
}
