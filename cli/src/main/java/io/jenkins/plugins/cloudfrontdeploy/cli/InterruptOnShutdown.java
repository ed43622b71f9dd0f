package io.jenkins.plugins.cloudfrontdeploy.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * On SIGINT or SIGTERM (the JVM shutting down), interrupts the thread running the command and waits, bounded, for it
 * to unwind, as an aborted Jenkins build does: the engine stops, lets a production switch in progress finish on every
 * host, and releases its locks. The JVM then exits 130 or 143 as usual.
 */
final class InterruptOnShutdown implements AutoCloseable {
    /** How long a signalled command may take to stop (a switch to finish, locks to be released) before the JVM ends. */
    static final Duration GRACE = Duration.ofSeconds(15);

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private InterruptOnShutdown(Thread command, Duration grace) {
        hook = new Thread(() -> {
            if (done.getCount() == 0) {
                return;
            }
            command.interrupt();
            try {
                done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the JVM is ending anyway
            }
        }, "cloudfront-deploy-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Until {@link #close()}, a shutdown interrupts {@code command} and waits up to {@code grace} for it. */
    static InterruptOnShutdown install(Thread command, Duration grace) {
        return new InterruptOnShutdown(command, grace);
    }

    /** The command has ended (its error, if any, printed): a shutdown need not wait for it any more. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook is running: it returns now that the command is done
        }
    }
}
