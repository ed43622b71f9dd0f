package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Differ;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.GracePeriod;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ManifestStore;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseContent;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseReaders;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.RemoteListing;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.Excludes;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.LocalScanner;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.ParallelHasher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Scan ▶ List ▶ Diff ▶ Report: the exact list of what changed between the new build and the live release.
 *
 * <p>The two sides are worked on at once: the remote listing runs while the build folder is walked, and the remote
 * hashing (only of files whose size matches the build's: a different size is already a change) runs while the build
 * is hashed.
 */
public final class ChangeDetection {
    public DiffResult run(DiffRequest request, ProgressListener listener) throws IOException {
        long started = System.nanoTime();
        Timings timings = new Timings();
        Path source = request.sourcePath();
        // before any connection: a typo should not cost an SSH login
        LocalScanner.requireSourceFolder(source, request.vocabulary());
        // the build is hashed while it is walked; closed, the scanner stops hashing nobody waits for any more
        try (LocalScanner scanner = new LocalScanner(new Excludes(request.excludes(), request.vocabulary()),
                ParallelHasher.perCore())) {
            return run(request, listener, scanner, started, timings);
        }
    }

    private DiffResult run(DiffRequest request, ProgressListener listener, LocalScanner scanner, long started,
            Timings timings) throws IOException {
        Path source = request.sourcePath();

        Manifest build;
        Manifest live;
        RemoteListing listing;
        String transport;
        // the build is walked while the target is connected (key parsing, key exchange and login take as long as
        // walking 50,000 files), as a deploy does
        CompletableFuture<Manifest> walking =
                async(() -> timings.time("walk", () -> scanner.listWhileHashing(source, listener)));
        ReleaseReader opened;
        try {
            opened = timings.time("connect", () -> ReleaseReaders.open(request.target(), request.ssh(), listener));
        } catch (IOException | RuntimeException e) {
            // the connection's failure is the one to report, as when the walk came after it; the walk is let
            // finish so that nothing of this diff runs on after it returned
            joinQuietly(walking);
            throw e;
        }
        try (ReleaseReader reader = opened) {
            transport = reader.transport();
            CompletableFuture<RemoteListing> remoteList = async(() -> timings.time("list", () -> reader.list(listener)));
            Manifest listed = join(walking);
            RemoteListing remote = join(remoteList);
            listing = remote;

            CompletableFuture<Manifest> remoteContent = async(() -> timings.time("remoteHash", () -> {
                // read as it streams: a big site's stored manifest is not held whole beside both listings
                ManifestStore.Streamed stored = ManifestStore.streamed(reader, SiteLayout.of(request.target(), null),
                        remote.release().releaseName(), !request.verifyRemote(), listener);
                Manifest hashed = ReleaseContent.hashed(reader, remote, listed, stored, listener);
                // files the live release keeps only after a build removed them are not the build's: their D was
                // reported by that deploy (marks are trusted even where hashes are not)
                return GracePeriod.withoutKept(hashed, stored.marks());
            }));
            build = timings.time("hash", () -> scanner.hash(source, listed, listener));
            live = join(remoteContent);
        }

        listener.stageStarted(Stage.DIFF, build.size() + live.size());
        ChangeSet changes = timings.time("diff", () -> Differ.diff(live, build));
        listener.stageFinished(Stage.DIFF, changes.content().size() + " changed, " + changes.unchanged() + " unchanged");

        Path reportDir = request.reportPath();
        timings.record("total", (System.nanoTime() - started) / 1_000_000);
        DiffResult result = new DiffResult(request, listing.release(), transport, changes, build.contentCount(),
                build.totalBytes(), timings.asMap(),
                reportDir.resolve(ReportWriter.CHANGES_FILE).toString(),
                reportDir.resolve(ReportWriter.REPORT_FILE).toString());
        listener.stageStarted(Stage.REPORT, 2);
        new ReportWriter(request.vocabulary()).write(reportDir, result);
        listener.stageFinished(Stage.REPORT, "written to " + reportDir.toAbsolutePath());
        return result;
    }

    static <T> CompletableFuture<T> async(Timings.ThrowingSupplier<T, IOException> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Waits for work whose result and failure no longer matter, because another failure is being reported. */
    static void joinQuietly(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (RuntimeException ignored) {
            // the failure being reported is the caller's
        }
    }

    static <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }
}
