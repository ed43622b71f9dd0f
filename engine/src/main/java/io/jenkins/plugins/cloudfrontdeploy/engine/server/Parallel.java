package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a few workers to the end and rethrows the first failure as it was thrown. */
public final class Parallel {
    /** One worker's job. */
    public interface Work<T> {
        T run() throws IOException;
    }

    private Parallel() {}

    /** Runs every job on its own thread and returns their results in order; on failure the others are interrupted. */
    public static <T> List<T> all(String name, List<Work<T>> jobs) throws IOException {
        if (jobs.size() == 1) {
            return java.util.Collections.singletonList(jobs.get(0).run());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs.size()), r -> {
            Thread t = new Thread(r, "cloudfront-deploy-" + name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Work<T> job : jobs) {
                futures.add(pool.submit(job::run));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }
}
