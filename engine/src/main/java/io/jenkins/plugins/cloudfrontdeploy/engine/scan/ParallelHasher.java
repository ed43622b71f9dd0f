package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Hashes files with one worker per core. Each worker streams its files through a fixed buffer; workers take the
 * next file from a shared counter, so a few large files do not leave the other cores idle.
 */
public final class ParallelHasher {
    private final int threads;

    public ParallelHasher(int threads) {
        this.threads = Math.max(1, threads);
    }

    public static ParallelHasher perCore() {
        return new ParallelHasher(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Returns {@code listed} with every file hashed (links keep the hash of their target text), sharing its listing
     * columns: only the hash column is new.
     *
     * @param root the folder the entries' paths are relative to
     */
    public Manifest hash(Path root, Manifest listed, Stage stage, ProgressListener listener) throws IOException {
        Manifest.HashColumn column = listed.hashColumn();
        long total = 0;
        for (int i = 0; i < listed.size(); i++) {
            if (listed.type(i) == EntryType.FILE) {
                total += listed.fileSize(i);
            }
        }
        hashAll(root, listed.size(), i -> listed.type(i) == EntryType.FILE ? listed.path(i) : null, column::set,
                total, stage, listener);
        return listed.withHashes(column);
    }

    /**
     * The SHA-256 of each of the given files.
     *
     * @param root the folder the paths are relative to
     * @return aligned with {@code paths}
     */
    public List<byte[]> hash(Path root, List<String> paths, Stage stage, ProgressListener listener) throws IOException {
        byte[][] out = new byte[paths.size()][];
        hashAll(root, paths.size(), paths::get, (i, h) -> out[i] = h, 0, stage, listener);
        return Arrays.asList(out);
    }

    /** What a worker does with the hash of the file of an index. */
    private interface HashSink {
        void accept(int index, byte[] sha256);
    }

    /** @param fileAt the relative path of the file at an index, or {@code null} for an index not to hash */
    private void hashAll(Path root, int count, IntFunction<String> fileAt, HashSink sink, long total, Stage stage,
            ProgressListener listener) throws IOException {
        listener.stageStarted(stage, total);
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        int workers = Math.min(threads, Math.max(1, count));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "cloudfront-deploy-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    Sha256 sha = new Sha256();
                    long[] reported = {0};
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String path = fileAt.apply(i);
                        if (path == null) {
                            continue;
                        }
                        sink.accept(i, hashFile(root, path, sha, n -> {
                            long d = done.addAndGet(n);
                            // progress at most every 4 MiB per worker: a listener call per chunk would cost more
                            // than it shows
                            if (d - reported[0] >= (4 << 20)) {
                                reported[0] = d;
                                listener.progressed(stage, d);
                            }
                        }));
                    }
                    return null;
                }));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DeployException de) {
                throw de;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        listener.progressed(stage, done.get());
    }

    /**
     * Starts hashing files as they are handed over, by as many workers as cores, while the caller goes on listing:
     * the walk and the hashing of a build overlap instead of following one another. At most a few thousand files wait
     * at once (the walk waits for the workers beyond that), so a big build's paths are not all held twice.
     *
     * @param root the folder the paths handed over are relative to
     */
    public Pipeline pipeline(Path root, Stage stage, ProgressListener listener) {
        return new Pipeline(root, stage, listener);
    }

    /** See {@link #pipeline}. Closing it stops the workers, whether or not the hashes were taken. */
    public final class Pipeline implements AutoCloseable {
        private static final int WAITING = 4096;
        private final Path root;
        private final Stage stage;
        private final ProgressListener listener;
        private final Manifest.HashSlots slots = new Manifest.HashSlots();
        private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(WAITING);
        private final ExecutorService pool;
        private final List<Future<Void>> workers = new ArrayList<>();
        private final AtomicLong done = new AtomicLong();
        private volatile boolean reporting;
        private volatile Throwable failure;

        /** A file to hash; {@code path == null} tells a worker there is no more. */
        private record Task(int slot, String path) {}

        private Pipeline(Path root, Stage stage, ProgressListener listener) {
            this.root = root;
            this.stage = stage;
            this.listener = listener;
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "cloudfront-deploy-hash");
                t.setDaemon(true);
                return t;
            });
            for (int w = 0; w < threads; w++) {
                workers.add(pool.submit(this::work));
            }
        }

        private Void work() throws IOException, InterruptedException {
            Sha256 sha = new Sha256();
            long[] reported = {0};
            for (Task t = queue.take(); t.path() != null; t = queue.take()) {
                if (failure != null) {
                    continue; // drain: the walk must not block on a full queue after a failure
                }
                try {
                    slots.set(t.slot(), hashFile(root, t.path(), sha, n -> {
                        long d = done.addAndGet(n);
                        // progress at most every 4 MiB per worker, and only once the stage is announced
                        if (reporting && d - reported[0] >= (4 << 20)) {
                            reported[0] = d;
                            listener.progressed(stage, d);
                        }
                    }));
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
            }
            return null;
        }

        /** Hands a file over; waits while too many are waiting. Throws the first hashing failure, if any. */
        public void hash(int slot, String path) throws IOException {
            throwFailure();
            slots.ensure(slot + 1);
            try {
                queue.put(new Task(slot, path));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("interrupted while hashing", e);
            }
        }

        /** Announces the stage with its total (known once the walk is done) and lets workers report progress. */
        public void announce(long totalBytes) {
            listener.stageStarted(stage, totalBytes);
            reporting = true;
            listener.progressed(stage, done.get());
        }

        /** Waits for every file handed over to be hashed. */
        public Manifest.HashSlots finish() throws IOException {
            try {
                for (int w = 0; w < workers.size(); w++) {
                    queue.put(new Task(-1, null));
                }
                for (Future<Void> f : workers) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("interrupted while hashing", e);
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause();
            } finally {
                pool.shutdownNow();
            }
            throwFailure();
            listener.progressed(stage, done.get());
            return slots;
        }

        private void throwFailure() throws IOException {
            Throwable f = failure;
            if (f instanceof DeployException de) {
                throw de;
            }
            if (f instanceof IOException io) {
                throw io;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private static byte[] hashFile(Path root, String path, Sha256 sha, java.util.function.LongConsumer counter)
            throws IOException {
        Path file = root.resolve(path);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] hash = sha.hash(in, counter);
            return hash;
        } catch (IOException ex) {
            if (ex instanceof java.io.InterruptedIOException) {
                throw new DeployException("interrupted while hashing", ex);
            }
            throw new DeployException("cannot read " + file + ": " + TreeWalker.describe(ex)
                    + "; check that the build user may read it", ex);
        }
    }
}
