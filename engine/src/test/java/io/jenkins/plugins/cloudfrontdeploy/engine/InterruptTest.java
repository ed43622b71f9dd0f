package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.instanceOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * An interrupted deploy (an aborted Jenkins build; Ctrl-C or SIGTERM in the CLI) stops and still releases its locks;
 * an interrupt during the production switch waits until every host is switched.
 */
public class InterruptTest {
    private static final String DIST = "E2QWRUHAPOMQZL";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    private FakeCloudFront fake;

    @Before
    public void start() throws Exception {
        fake = FakeCloudFront.start().addDistribution(DIST);
    }

    @After
    public void stop() {
        fake.close();
    }

    private Path build(String name) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        Trees.write(b, "index.html", "home " + name + "\n");
        Trees.write(b, "about.html", "about " + name + "\n");
        return b;
    }

    /** A deploy on a thread of its own, which the test interrupts; its failure is kept. */
    private static final class DeployThread extends Thread {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final DeployRequest.Builder request;
        private final RecordingListener listener;

        DeployThread(DeployRequest.Builder request, RecordingListener listener) {
            super("deploy");
            this.request = request;
            this.listener = listener;
        }

        @Override
        public void run() {
            try {
                Deploys.run(request, listener);
            } catch (Throwable e) {
                failure.set(e);
            }
        }
    }

    private InvalidationOptions.Builder invalidation(Duration poll) {
        return InvalidationOptions.builder()
                .distributions(List.of(DIST))
                .aws(new CloudFrontSettings(null, "AKIDEXAMPLE", "not-a-secret", null, null, null,
                        fake.endpoint().toString()))
                .waitForCompletion(true)
                .polling(poll, poll);
    }

    @Test
    public void anInterruptWhileWaitingForCloudFrontStopsTheDeployAndReleasesTheLock() throws Exception {
        Path link = tmp.newFolder("www").toPath().resolve("production");
        interruptedWhileWaiting(link, link.toString(), null);
    }

    /** Over SSH the lock is released by an exec channel, which MINA will not open for an interrupted thread. */
    @Test
    public void anInterruptedDeployOverSshReleasesTheLock() throws Exception {
        Path link = tmp.newFolder("www").toPath().resolve("production");
        Path key = TestKeys.generate(tmp.newFolder("keys").toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer sshd = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
            interruptedWhileWaiting(link, sshd.url("tester", link.toString()),
                    SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build());
        }
    }

    private void interruptedWhileWaiting(Path link, String target, SshSettings ssh) throws Exception {
        Deploys.run(Deploys.request(build("r0"), "r0", ssh, tmp.newFolder().toPath(), target),
                new RecordingListener());
        fake.completeAfterPolls(1_000_000);
        CountDownLatch waiting = new CountDownLatch(1);
        RecordingListener l = new RecordingListener() {
            @Override
            public void info(String message) {
                super.info(message);
                if (message.matches("batch .* InProgress \\d+s")) { // polled once: now it waits a minute
                    waiting.countDown();
                }
            }
        };
        Path r1 = build("r1");
        DeployThread deploy = new DeployThread(Deploys.request(r1, "r1", ssh, tmp.newFolder().toPath(), target)
                .invalidation(invalidation(Duration.ofMinutes(1)).build()), l);
        deploy.start();
        assertTrue(waiting.await(60, TimeUnit.SECONDS));
        deploy.interrupt();
        deploy.join();

        assertThat(deploy.failure.get(), instanceOf(DeployException.class));
        assertThat(deploy.failure.get().getMessage(), containsString("interrupted"));
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        assertThat("the journal holds the submitted batch", Files.readString(link.resolveSibling(
                ".cloudfront-deploy/releases/r1.json")), containsString(fake.invalidations(DIST).get(0).id()));
        assertFalse("the lock is released", Files.exists(link.resolveSibling(".cloudfront-deploy/lock")));
        assertTrue(l.warnings.toString(), l.warnings.stream().noneMatch(w -> w.contains("lock")));

        int billed = fake.billedCount();
        fake.completeAfterPolls(1);
        DeployResult again = Deploys.run(Deploys.request(r1, "r1", ssh, tmp.newFolder().toPath(), target)
                .invalidation(invalidation(Duration.ofMillis(5)).build()), new RecordingListener());
        assertEquals("nothing billed twice", billed, fake.billedCount());
        again.invalidation().batches().forEach(b -> assertEquals(InvalidationRecord.COMPLETED, b.status()));
    }

    /**
     * An abort while a command runs on the server (here the seeding {@code cp}, made slow) stops the deploy then, not
     * after it: MINA's {@code ChannelExec.waitFor} swallows an interrupt, so the deploy used to go on to the switch.
     */
    @Test
    public void anInterruptDuringARemoteCommandStopsTheDeploy() throws Exception {
        Path link = tmp.newFolder("www").toPath().resolve("production");
        Path bin = tmp.newFolder("bin").toPath();
        Path started = tmp.getRoot().toPath().resolve("cp-started");
        Files.writeString(bin.resolve("cp"), "#!/bin/sh\ntouch '" + started + "'\nsleep 20\nexec /bin/cp \"$@\"\n");
        bin.resolve("cp").toFile().setExecutable(true);
        Path key = TestKeys.generate(tmp.newFolder("keys").toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer sshd = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key))
                .commandPath(bin + ":" + System.getenv("PATH")).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
            SshSettings ssh = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
            String target = sshd.url("tester", link.toString());
            Deploys.run(Deploys.request(build("r0"), "r0", ssh, tmp.newFolder().toPath(), target),
                    new RecordingListener());
            Files.deleteIfExists(started);
            DeployThread deploy = new DeployThread(Deploys.request(build("r1"), "r1", ssh, tmp.newFolder().toPath(),
                    target), new RecordingListener());
            deploy.start();
            // the cp runs in another process on the "server": its mark is looked for, with a deadline
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(started) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue("the seeding cp started", Files.exists(started));
            deploy.interrupt();
            deploy.join();

            assertThat(deploy.failure.get(), instanceOf(DeployException.class));
            assertThat(deploy.failure.get().getMessage(), containsString("interrupted"));
            assertEquals("production was not switched", "r0", Files.readSymbolicLink(link).toString());
            assertFalse("the lock is released", Files.exists(link.resolveSibling(".cloudfront-deploy/lock")));
        }
    }

    @Test
    public void anInterruptDuringTheSwitchWaitsUntilEveryHostIsSwitched() throws Exception {
        Path one = tmp.newFolder("one").toPath().resolve("production");
        Path two = tmp.newFolder("two").toPath().resolve("production");
        Deploys.run(Deploys.request(build("r0"), "r0", null, tmp.newFolder().toPath(), one.toString(),
                two.toString()), new RecordingListener());
        AtomicReference<Thread> deploying = new AtomicReference<>();
        RecordingListener l = new RecordingListener() {
            @Override
            public void progressed(Stage stage, long done) {
                if (stage == Stage.SWITCH && done == 1) { // one host switched, the other not yet: abort now
                    deploying.get().interrupt();
                }
            }
        };
        DeployThread deploy = new DeployThread(Deploys.request(build("r1"), "r1", null, tmp.newFolder().toPath(),
                one.toString(), two.toString()), l);
        deploying.set(deploy);
        deploy.start();
        deploy.join();

        assertThat(deploy.failure.get(), instanceOf(DeployException.class));
        assertThat(deploy.failure.get().getMessage(), containsString("interrupted"));
        for (Path link : List.of(one, two)) {
            assertEquals("every host is switched, none half", "r1", Files.readSymbolicLink(link).toString());
            assertThat(Files.readString(link.resolveSibling(".cloudfront-deploy/releases/r1.json")),
                    containsString("\"switched\""));
            assertFalse("the lock is released", Files.exists(link.resolveSibling(".cloudfront-deploy/lock")));
        }
    }
}
