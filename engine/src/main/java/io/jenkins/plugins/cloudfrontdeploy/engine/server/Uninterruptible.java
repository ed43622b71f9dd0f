package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs work that an interrupt must not cut short (the production switch of every host) on a thread of its own: an
 * interrupt of the caller waits until the work is done, and is then restored for the caller to act on.
 */
public final class Uninterruptible {
    private Uninterruptible() {}

    public static <T> T run(String name, Parallel.Work<T> work) throws IOException {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = new Thread(task, "cloudfront-deploy-" + name);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the work goes on; the caller learns of the interrupt when it is done
                } catch (ExecutionException e) {
                    throw Parallel.rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
