package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A lock left by a deploy whose process is provably gone (on this same host: no such process, a pid now used by
 * another process, a restart since) is taken over at once with a warning that says why; a lock whose owner may
 * still run (alive here, on another host, or of an older version that did not say) is waited for.
 */
public class StaleLockTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    private Path link;
    private Path lock;
    private Path build;
    private String host;

    @Before
    public void site() throws Exception {
        link = tmp.newFolder("www").toPath().resolve("production");
        lock = link.resolveSibling(".cloudfront-deploy/lock");
        build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "hello\n");
        host = InetAddress.getLocalHost().getHostName();
    }

    /** A lock as another deploy leaves it: its owner and its token. */
    private void lockedBy(Map<String, Object> owner) throws Exception {
        Files.createDirectories(lock);
        Files.write(lock.resolve("owner.json"), new ObjectMapper().writeValueAsBytes(owner));
        Files.writeString(lock.resolve("token"), "token-of-the-other-deploy");
    }

    private Map<String, Object> owner(String ownerHost, long pid, String processStart) throws Exception {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("host", ownerHost);
        o.put("user", "jenkins");
        o.put("since", "2026-01-01T00:00:00Z");
        o.put("release", "r0");
        o.put("pid", pid);
        o.put("processStart", processStart);
        Path bootId = Path.of("/proc/sys/kernel/random/boot_id");
        if (Files.isReadable(bootId)) {
            o.put("bootId", Files.readString(bootId).strip());
        }
        return o;
    }

    private DeployResult deploy(RecordingListener listener, Duration lockTimeout) throws Exception {
        return Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(), link.toString())
                .lockTimeout(lockTimeout), listener);
    }

    private void takenOver(String why) throws Exception {
        RecordingListener l = new RecordingListener();
        deploy(l, Duration.ZERO); // no waiting
        assertThat(l.warnings.toString(), containsString("took over the deploy lock on local left by jenkins@" + host
                + " (pid "));
        assertThat(l.warnings.toString(), containsString("it is stale, as " + why));
        assertEquals("r1", Files.readSymbolicLink(link).toString());
        assertFalse("released at the end", Files.exists(lock));
    }

    private void waitedFor(String owner) {
        DeployException e = assertThrows(DeployException.class,
                () -> deploy(new RecordingListener(), Duration.ofSeconds(1)));
        assertThat(e.getMessage(), containsString("another deploy holds the lock"));
        assertThat(e.getMessage(), containsString(owner + " since 2026-01-01T00:00:00Z, deploying release r0"));
        assertThat(e.getMessage(), containsString("--break-lock"));
        assertTrue("the other deploy's lock is left alone", Files.exists(lock.resolve("owner.json")));
        assertFalse(Files.exists(link));
    }

    @Test
    public void aLockWhoseProcessIsGoneIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("cat").start(); // runs until its input ends
        long pid = gone.pid();
        Instant started = gone.info().startInstant().orElseThrow();
        gone.getOutputStream().close();
        assertEquals(0, gone.waitFor());
        lockedBy(owner(host, pid, started.toString()));
        takenOver("its process " + pid + " on " + host + " is gone");
    }

    @Test
    public void aLockWhosePidIsNowAnotherProcessIsTakenOver() throws Exception {
        long pid = ProcessHandle.current().pid();
        Map<String, Object> o = owner(host, pid, "2001-01-01T00:00:00Z");
        o.put("processStartTicks", 1); // also wrong where the ticks since boot are what is compared
        lockedBy(o);
        takenOver("its process " + pid + " on " + host + " is gone: that pid is now another process");
    }

    @Test
    public void aLockLeftBeforeARestartIsTakenOver() throws Exception {
        Map<String, Object> o = owner(host, ProcessHandle.current().pid(),
                ProcessHandle.current().info().startInstant().orElseThrow().toString());
        o.put("bootId", "00000000-0000-0000-0000-000000000000");
        lockedBy(o);
        takenOver(host + " has restarted since");
    }

    @Test
    public void aLockWhoseProcessRunsIsWaitedFor() throws Exception {
        long pid = ProcessHandle.current().pid();
        lockedBy(owner(host, pid, ProcessHandle.current().info().startInstant().orElseThrow().toString()));
        waitedFor("jenkins@" + host + " (pid " + pid + ")");
    }

    @Test
    public void aLockOfAnotherHostIsWaitedFor() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        lockedBy(owner("ci-elsewhere", gone.pid(), Instant.now().toString()));
        waitedFor("jenkins@ci-elsewhere (pid " + gone.pid() + ")");
    }

    @Test
    public void aLockThatDoesNotNameItsProcessIsWaitedFor() throws Exception {
        Map<String, Object> o = owner(host, 0, null);
        o.remove("pid");
        o.remove("processStart");
        lockedBy(o);
        waitedFor("jenkins@" + host);
    }

    /** Two deploys that find one stale lock: the takeover is claimed first, and only one claim succeeds. */
    @Test
    public void aTakeoverAlreadyClaimedIsWaitedFor() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        lockedBy(owner(host, gone.pid(), null));
        Files.createDirectory(lock.resolve("takeover"));
        waitedFor("jenkins@" + host + " (pid " + gone.pid() + ")");
    }
}
