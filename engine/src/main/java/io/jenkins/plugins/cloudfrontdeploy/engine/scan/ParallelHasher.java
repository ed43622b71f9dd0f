package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
     * Returns {@code entries} with every file hashed (other entries unchanged), in the same order.
     *
     * @param root the folder the entries' paths are relative to
     */
    public List<ManifestEntry> hash(Path root, List<ManifestEntry> entries, Stage stage, ProgressListener listener)
            throws IOException {
        ManifestEntry[] out = entries.toArray(new ManifestEntry[0]);
        long total = entries.stream()
                .filter(e -> e.type() == EntryType.FILE)
                .mapToLong(ManifestEntry::size)
                .sum();
        listener.stageStarted(stage, total);
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        int workers = Math.min(threads, Math.max(1, entries.size()));
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
                    for (int i = next.getAndIncrement(); i < out.length; i = next.getAndIncrement()) {
                        ManifestEntry e = out[i];
                        if (e.type() != EntryType.FILE) {
                            continue;
                        }
                        out[i] = e.withHash(hashFile(root, e, sha, n -> {
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
        return List.of(out);
    }

    private static byte[] hashFile(Path root, ManifestEntry e, Sha256 sha, java.util.function.LongConsumer counter)
            throws IOException {
        Path file = root.resolve(e.path());
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
