package io.jenkins.plugins.cloudfrontdeploy;

import hudson.Extension;
import hudson.FilePath;
import hudson.model.listeners.ItemListener;
import hudson.remoting.Channel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;

/**
 * Holds back a step's failure when its agent's channel closed because this controller is stopping.
 *
 * <p>The channel can close before Jenkins begins its own shutdown (a WebSocket agent closes with the web server; the
 * test harness closes every channel first). A step failing at that moment races the Pipeline's last save: the
 * failure can end the {@code node} block on disk after the program was saved, and the restarted build then fails
 * ("cannot start writing logs to a finished node") instead of retrying. So a step that lost its channel waits a
 * little for Jenkins to begin stopping and, if it does, until every Pipeline has been suspended (then
 * {@link Jenkins#isTerminating()}), and only then fails: the saved program still has the step running, which after
 * the restart fails as not resumable, and {@code retry(conditions: [agent(), nonresumable()])} runs it again.
 */
@Extension
public final class ControllerShutdown extends ItemListener {
    /** How long a lost channel may precede the controller's shutdown: the web server stops first, within seconds. */
    static final Duration GRACE = Duration.ofSeconds(15);

    private static final Object LOCK = new Object();
    private static Jenkins stopping; // guarded by LOCK: the controller that began to stop (one per JVM in production)

    @Override
    public void onBeforeShutdown() {
        synchronized (LOCK) {
            stopping = Jenkins.getInstanceOrNull();
            LOCK.notifyAll();
        }
    }

    /** Runs a step's work; a failure that came with the loss of {@code workspace}'s channel waits as said above. */
    static <T> T failAfterPipelinesSaved(FilePath workspace, Callable<T> work) throws Exception {
        Jenkins jenkins = Jenkins.get();
        try {
            return work.call();
        } catch (Exception e) {
            if (workspace.getChannel() instanceof Channel c && c.isClosingOrClosed()) {
                awaitSuspended(jenkins);
            }
            throw e;
        }
    }

    private static void awaitSuspended(Jenkins jenkins) throws InterruptedException {
        long deadline = System.nanoTime() + GRACE.toNanos();
        synchronized (LOCK) {
            while (stopping != jenkins) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return; // the agent went away on its own: fail now, for retry's agent() condition
                }
                TimeUnit.NANOSECONDS.timedWait(LOCK, left);
            }
        }
        // Jenkins sets terminating right after its terminators, which save and suspend every Pipeline; it has no
        // event for that moment, so this polls (a few times, once per stop)
        while (!jenkins.isTerminating() && Jenkins.getInstanceOrNull() == jenkins) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
