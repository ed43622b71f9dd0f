package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files of one upload, largest first (so no channel is left with one big file at the end), shared by the
 * channels that send them, with the byte count behind the progress bar.
 */
final class UploadQueue {
    private final ConcurrentLinkedQueue<ManifestEntry> pending;
    private final AtomicLong sent = new AtomicLong();
    private final ProgressListener listener;

    UploadQueue(List<ManifestEntry> files, ProgressListener listener) {
        List<ManifestEntry> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingLong(ManifestEntry::size).reversed());
        this.pending = new ConcurrentLinkedQueue<>(sorted);
        this.listener = listener;
    }

    /** The next file to send, or {@code null} when all are taken. */
    ManifestEntry next() {
        return pending.poll();
    }

    void sent(long bytes) {
        listener.progressed(Stage.STAGE, sent.addAndGet(bytes));
    }

    long total() {
        return sent.get();
    }

    /** Where a file is written before it is renamed into place: a short name in its own folder, hidden. */
    static String temporaryName(String finalPath, String token, int index) {
        int slash = finalPath.lastIndexOf('/');
        return finalPath.substring(0, slash + 1) + ".cfd-upload-" + token + "-" + index;
    }
}
