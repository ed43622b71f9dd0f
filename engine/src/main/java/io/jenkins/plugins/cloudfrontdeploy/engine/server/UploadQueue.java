package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** One channel's way of sending a file: write to the temporary name, then rename it to the final one. */
    interface Sender extends AutoCloseable {
        void send(Path local, String remote, String temporary, UploadQueue queue) throws IOException;

        @Override
        default void close() throws IOException {}
    }

    /** Opens one sender per channel. */
    interface Channels {
        Sender open() throws IOException;
    }

    /**
     * Sends the files over up to {@code channels} senders working through one shared queue.
     *
     * @return bytes of file content sent
     */
    static long send(Path sourceRoot, String releasePath, List<ManifestEntry> files, int channels, Channels opener,
            ProgressListener listener) throws IOException {
        if (files.isEmpty()) {
            return 0;
        }
        UploadQueue queue = new UploadQueue(files, listener);
        String token = UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger index = new AtomicInteger();
        List<Parallel.Work<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(channels, files.size()); i++) {
            workers.add(() -> {
                try (Sender sender = opener.open()) {
                    for (ManifestEntry f = queue.next(); f != null; f = queue.next()) {
                        String remote = releasePath + "/" + f.path();
                        sender.send(sourceRoot.resolve(f.path()), remote,
                                temporaryName(remote, token, index.incrementAndGet()), queue);
                    }
                }
                return null;
            });
        }
        Parallel.all("upload", workers);
        return queue.total();
    }

    /** Where a file is written before it is renamed into place: a short name in its own folder, hidden. */
    static String temporaryName(String finalPath, String token, int index) {
        int slash = finalPath.lastIndexOf('/');
        return finalPath.substring(0, slash + 1) + ".cfd-upload-" + token + "-" + index;
    }
}
