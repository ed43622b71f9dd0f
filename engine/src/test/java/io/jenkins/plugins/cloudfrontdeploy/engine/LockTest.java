package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThat;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** Two deploys to one site: the second waits for the first, or gives up naming it; a dead one's lock can be broken. */
public class LockTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    private Path link;
    private Path build;

    @Before
    public void site() throws Exception {
        link = tmp.newFolder("www").toPath().resolve("production");
        build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "hello\n");
    }

    /** A deploy that stops inside its lock until told to go on: the listener's first LIST event comes after locking. */
    private static final class PausingListener extends RecordingListener {
        final CountDownLatch locked = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);

        @Override
        public void stageStarted(Stage stage, long total) {
            if (stage == Stage.LIST) {
                locked.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    public void aSecondDeployWaitsForTheFirstThenRuns() throws Exception {
        PausingListener first = new PausingListener();
        CompletableFuture<DeployResult> one = CompletableFuture.supplyAsync(() -> deploy("r1", first, Duration.ofMinutes(1)));
        assertTrue(first.locked.await(60, TimeUnit.SECONDS));

        CountDownLatch waiting = new CountDownLatch(1);
        RecordingListener second = new RecordingListener() {
            @Override
            public void info(String message) {
                super.info(message);
                if (message.contains("waiting for the deploy lock")) {
                    waiting.countDown();
                }
            }
        };
        CompletableFuture<DeployResult> two = CompletableFuture.supplyAsync(() -> deploy("r2", second, Duration.ofMinutes(1)));
        assertTrue("the second deploy must wait", waiting.await(60, TimeUnit.SECONDS));
        assertThat(second.infos.toString(), containsString("deploying release r1"));
        assertFalse(two.isDone());
        first.proceed.countDown();
        assertEquals("r1", one.get().release());
        assertEquals("r2", two.get().release());
        assertEquals("r1", two.get().previousRelease());
        assertEquals("r2", Files.readSymbolicLink(link).toString());
    }

    @Test
    public void aSecondDeployGivesUpNamingTheOwner() throws Exception {
        PausingListener first = new PausingListener();
        CompletableFuture<DeployResult> one = CompletableFuture.supplyAsync(() -> deploy("r1", first, Duration.ofMinutes(1)));
        assertTrue(first.locked.await(60, TimeUnit.SECONDS));
        DeployException e = assertThrows(DeployException.class,
                () -> Deploys.run(Deploys.request(build, "r2", null, tmp.newFolder().toPath(), link.toString())
                        .lockTimeout(Duration.ofSeconds(1)), new RecordingListener()));
        assertThat(e.getMessage(), containsString("another deploy holds the lock"));
        assertThat(e.getMessage(), containsString("deploying release r1"));
        assertThat(e.getMessage(), containsString("--break-lock"));
        first.proceed.countDown();
        one.get();
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        assertFalse(Files.exists(link.resolveSibling(".cloudfront-deploy/lock")));
    }

    @Test
    public void aLockLeftByADeadDeployIsBrokenOnRequest() throws Exception {
        Path lock = link.resolveSibling(".cloudfront-deploy/lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("owner.json"),
                "{\"host\":\"ci-7\",\"user\":\"jenkins\",\"since\":\"2026-01-01T00:00:00Z\",\"release\":\"r0\"}");
        DeployException e = assertThrows(DeployException.class,
                () -> Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(), link.toString())
                        .lockTimeout(Duration.ZERO), new RecordingListener()));
        assertThat(e.getMessage(), containsString("jenkins@ci-7 since 2026-01-01T00:00:00Z, deploying release r0"));
        RecordingListener l = new RecordingListener();
        Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(), link.toString()).breakLock(true), l);
        assertThat(l.warnings.toString(), containsString("breaking the deploy lock"));
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        assertFalse(Files.exists(lock));
    }

    @Test
    public void anOwnerFileThatSaysLittleIsDescribedWithoutNull() throws Exception {
        Path lock = link.resolveSibling(".cloudfront-deploy/lock");
        Files.createDirectories(lock);
        for (String owner : new String[] {"{}", "{\"host\":\"ci-7\"}", "null"}) {
            Files.writeString(lock.resolve("owner.json"), owner);
            DeployException e = assertThrows(DeployException.class,
                    () -> Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(), link.toString())
                            .lockTimeout(Duration.ZERO), new RecordingListener()));
            assertThat(owner, e.getMessage(), containsString("another deploy holds the lock"));
            assertThat(owner, e.getMessage(), not(containsString("null")));
        }
    }

    private DeployResult deploy(String release, RecordingListener listener, Duration lockTimeout) {
        try {
            return Deploys.run(Deploys.request(build, release, null, tmp.newFolder().toPath(), link.toString())
                    .lockTimeout(lockTimeout), listener);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
