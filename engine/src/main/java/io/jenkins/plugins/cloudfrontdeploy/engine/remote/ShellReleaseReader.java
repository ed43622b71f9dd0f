package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshConnection;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lists and hashes the live release with shell commands over SSH: one command resolves the link and lists every
 * entry with its size ({@code find -printf}), then only the files whose size equals the new build's are hashed
 * ({@code sha256sum}, or {@code shasum -a 256}), split over a few exec channels of the same connection.
 *
 * <p>Names never pass through the shell: paths travel NUL-separated on stdin and stdout, and the only values on a
 * command line are the target and release paths, quoted with {@code ShellQuote}.
 */
public final class ShellReleaseReader implements ReleaseReader {
    /** Fewer files than this per channel are not worth another channel. */
    private static final int MIN_FILES_PER_CHANNEL = 256;
    private static final int MAX_CHANNELS = 4;

    private final SshConnection connection;
    private final SshTarget target;
    private int remoteCpus = 1;

    public ShellReleaseReader(SshConnection connection) {
        this.connection = connection;
        this.target = connection.target();
    }

    @Override
    public String transport() {
        return "exec";
    }

    /** The listing command: resolve the link, then list. See {@link ListingParser} for the output. */
    static String listingCommand(String linkPath, String parent) {
        return "t=" + quote(linkPath) + "; p=" + quote(parent) + "; printf 'cfd1\\0'; "
                + "printf '%s\\0' \"$(nproc 2>/dev/null || echo 1)\"; "
                + "if [ -L \"$t\" ]; then printf 'L\\0'; find \"$t\" -maxdepth 0 -printf '%l\\0' || exit 4; "
                + "if [ ! -e \"$t\" ]; then printf 'X\\0'; exit 0; fi; "
                + "if [ ! -d \"$t\" ]; then exit 6; fi; "
                + "elif [ -d \"$t\" ]; then printf 'D\\0'; "
                + "elif [ -e \"$t\" ]; then printf 'F\\0'; exit 0; "
                + "elif [ -d \"$p\" ]; then printf 'A\\0'; exit 0; "
                + "else printf 'P\\0'; exit 0; fi; "
                + "cd -P -- \"$t\" || exit 5; printf 'R\\0%s\\0' \"$PWD\"; "
                + "exec find . -mindepth 1 -printf '%y\\0%s\\0%T@\\0%l\\0%P\\0'";
    }

    /**
     * Probes whether the server runs our commands at all. A server that allows only SFTP either refuses exec or
     * runs a forced command instead (internal-sftp): either way our marker does not come back.
     */
    public static boolean canExec(SshConnection connection) throws IOException {
        SshConnection.Captured probe =
                connection.capture("printf 'cfd1\\0'", connection.settings().authTimeout());
        return probe.exitStatus() == 0
                && new String(probe.stdout(), StandardCharsets.ISO_8859_1).equals("cfd1\0");
    }

    @Override
    public RemoteListing list(ProgressListener listener) throws IOException {
        listener.stageStarted(Stage.LIST, -1);
        ListingParser parser = runListing(target.path(), target.parent(), target.toString(), listener);
        LiveRelease release = switch (parser.state()) {
            case "L" -> {
                if (parser.dangling()) {
                    yield TargetStates.dangling(target, parser.linkText(), listener);
                }
                yield TargetStates.link(parser.linkText(), parser.releasePath());
            }
            case "D" -> TargetStates.plainFolder(target, parser.releasePath(), listener);
            case "A" -> TargetStates.firstDeploy(target, listener);
            case "P" -> throw TargetStates.siteRootMissing(target);
            case "F" -> throw TargetStates.notALinkOrFolder(target);
            default -> throw new DeployException("unexpected output from the listing command on " + target);
        };
        listener.progressed(Stage.LIST, parser.count());
        listener.stageFinished(Stage.LIST, parser.count() + " entries in "
                + (release.releaseName() == null ? "no release" : "release " + release.releaseName()));
        return new RemoteListing(release, parser.entries());
    }

    @Override
    public RemoteListing listFolder(String absolutePath, ProgressListener listener) throws IOException {
        String where = target.hostAndPort() + ":" + absolutePath;
        ListingParser parser = runListing(absolutePath, absolutePath, where, listener);
        if (!parser.state().equals("D")) {
            throw new DeployException("the folder " + absolutePath + " does not exist on " + target.hostAndPort());
        }
        return new RemoteListing(new LiveRelease(LiveRelease.State.DIRECTORY, null, parser.releasePath()),
                parser.entries());
    }

    private ListingParser runListing(String path, String parent, String where, ProgressListener listener)
            throws IOException {
        ListingParser parser = new ListingParser(where, listener);
        NulRecords out = NulRecords.nul(parser);
        SshConnection.ExecResult result =
                connection.exec(listingCommand(path, parent), null, out, connection.settings().commandTimeout());
        out.finish();
        if (!parser.sawMarker()) {
            throw new DeployException("the server " + target.hostAndPort() + " did not run the listing command"
                    + describe(result) + "; check that the account has a POSIX login shell");
        }
        if (result.exitStatus() != 0) {
            throw listingFailure(result);
        }
        if (!parser.complete()) {
            throw new DeployException("the listing of " + where + " was cut short" + describe(result));
        }
        remoteCpus = parser.remoteCpus();
        return parser;
    }

    private DeployException listingFailure(SshConnection.ExecResult result) {
        String err = result.stderr();
        String what = switch (result.exitStatus()) {
            case 5 -> "cannot enter the release folder behind " + target;
            case 6 -> TargetStates.linkToNonFolder(target).getMessage();
            default -> "listing the release behind " + target + " failed";
        };
        String fix = err.toLowerCase(java.util.Locale.ROOT).contains("permission denied")
                ? "; give the user " + target.user() + " read access to the release folder"
                : "";
        return new DeployException(what + describe(result) + fix);
    }

    private static String describe(SshConnection.ExecResult result) {
        String err = result.stderr().isEmpty() ? "" : ": " + firstLines(result.stderr());
        return " (exit " + result.exitStatus() + ")" + err;
    }

    private static String firstLines(String text) {
        String[] lines = text.split("\n");
        return lines.length <= 3 ? String.join(" / ", lines) : String.join(" / ", List.of(lines).subList(0, 3)) + " …";
    }

    @Override
    public byte[] readFile(String absolutePath) throws IOException {
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        return readFile(absolutePath, content) ? content.toByteArray() : null;
    }

    @Override
    public boolean readFile(String absolutePath, OutputStream sink) throws IOException {
        // the first byte tells an absent file (nothing) from an empty one (just the Y)
        boolean[] present = {false};
        OutputStream afterY = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (!present[0] && len > 0) {
                    present[0] = true;
                    off++;
                    len--;
                }
                sink.write(b, off, len);
            }
        };
        SshConnection.ExecResult r = connection.exec("if [ -f " + quote(absolutePath) + " ]; then printf Y; exec cat"
                + " -- " + quote(absolutePath) + "; fi", null, afterY, connection.settings().commandTimeout());
        if (r.exitStatus() != 0) {
            throw new DeployException("cannot read " + absolutePath + " on " + target.hostAndPort() + " (exit "
                    + r.exitStatus() + ")" + (r.stderr().isEmpty() ? "" : ": " + firstLines(r.stderr())));
        }
        return present[0];
    }

    /** One hashing command: the first record tells how the server hashes (Z: names come back, S: one per file). */
    static String hashCommand(String releasePath) {
        return "cd -P -- " + quote(releasePath) + " || exit 5; "
                + "if sha256sum -z -- /dev/null >/dev/null 2>&1; then printf 'Z\\0'; exec xargs -0 sha256sum -z --; "
                + "elif command -v sha256sum >/dev/null 2>&1; then printf 'S\\0'; "
                + "exec xargs -0 sh -c 'for f do h=$(sha256sum < \"$f\") || exit 255; printf \"%s\\0\" \"$h\"; done' sh; "
                + "elif command -v shasum >/dev/null 2>&1; then printf 'S\\0'; "
                + "exec xargs -0 sh -c 'for f do h=$(shasum -a 256 < \"$f\") || exit 255; printf \"%s\\0\" \"$h\"; done' sh; "
                + "else printf 'N\\0'; exit 0; fi";
    }

    @Override
    public List<byte[]> hash(RemoteListing listing, List<String> paths, ProgressListener listener) throws IOException {
        listener.stageStarted(Stage.REMOTE_HASH, paths.size());
        if (paths.isEmpty()) {
            listener.stageFinished(Stage.REMOTE_HASH, "nothing to hash");
            return List.of();
        }
        String releasePath = listing.release().releasePath();
        int channels = Math.max(1, Math.min(Math.min(MAX_CHANNELS, remoteCpus),
                paths.size() / MIN_FILES_PER_CHANNEL));
        byte[][] hashes = new byte[paths.size()][];
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(channels, r -> {
            Thread t = new Thread(r, "cloudfront-deploy-remote-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            long[] sizes = new long[paths.size()];
            for (int i = 0; i < sizes.length; i++) {
                int at = listing.manifest().indexOf(paths.get(i));
                sizes[i] = at >= 0 ? listing.manifest().fileSize(at) : 0;
            }
            for (int[] share : byBytes(sizes, channels)) {
                futures.add(pool.submit(() -> {
                    hashChunk(releasePath, paths, share, hashes, done, listener);
                    return null;
                }));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while hashing on " + target.hostAndPort(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeployException de) {
                throw de;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        listener.progressed(Stage.REMOTE_HASH, paths.size());
        listener.stageFinished(Stage.REMOTE_HASH, paths.size() + " files hashed on " + target.hostAndPort()
                + " over " + channels + " channel" + (channels == 1 ? "" : "s"));
        return List.of(hashes);
    }

    /**
     * Deals files to channels so that each hashes about as many bytes, largest files first (each to the channel with
     * the fewest bytes so far): a few big files no longer keep one channel busy after the others are done, and the
     * progress, counted in files, moves evenly.
     *
     * @return per channel, indexes into {@code sizes}, largest first
     */
    static int[][] byBytes(long[] sizes, int channels) {
        Integer[] largestFirst = new Integer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            largestFirst[i] = i;
        }
        java.util.Arrays.sort(largestFirst, (a, b) -> Long.compare(sizes[b], sizes[a]));
        long[] bytes = new long[channels];
        int[] counts = new int[channels];
        int[] channelOf = new int[sizes.length];
        for (int i : largestFirst) {
            int least = 0;
            for (int c = 1; c < channels; c++) {
                least = bytes[c] < bytes[least] || bytes[c] == bytes[least] && counts[c] < counts[least] ? c : least;
            }
            channelOf[i] = least;
            bytes[least] += sizes[i];
            counts[least]++;
        }
        int[][] shares = new int[channels][];
        for (int c = 0; c < channels; c++) {
            shares[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int i : largestFirst) {
            int c = channelOf[i];
            shares[c][counts[c]++] = i;
        }
        return shares;
    }

    private void hashChunk(String releasePath, List<String> paths, int[] share, byte[][] hashes,
            AtomicInteger done, ProgressListener listener) throws IOException {
        if (share.length == 0) {
            return;
        }
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (int i : share) {
            input.writeBytes(paths.get(i).getBytes(StandardCharsets.UTF_8));
            input.write(0);
        }
        HashParser parser = new HashParser(paths, share, hashes, done, listener);
        NulRecords out = NulRecords.nul(parser);
        SshConnection.ExecResult result = connection.exec(hashCommand(releasePath),
                new ByteArrayInputStream(input.toByteArray()), out, connection.settings().commandTimeout());
        out.finish();
        if ("N".equals(parser.mode)) {
            throw new DeployException("neither sha256sum nor shasum is installed on " + target.hostAndPort()
                    + "; install coreutils (or perl's shasum) there");
        }
        if (result.exitStatus() != 0 || parser.next != share.length) {
            throw new DeployException("hashing files of " + releasePath + " on " + target.hostAndPort() + " failed"
                    + " after " + parser.next + " of " + share.length + " files" + describe(result)
                    + (result.stderr().toLowerCase(java.util.Locale.ROOT).contains("permission denied")
                            ? "; give the user " + target.user() + " read access to the release folder"
                            : ""));
        }
    }

    /** Reads "HASH  NAME" (mode Z) or "HASH  -" (mode S) records, in the order the paths were sent. */
    private final class HashParser implements java.util.function.Consumer<byte[]> {
        private final List<String> paths;
        private final byte[][] hashes;
        private final AtomicInteger done;
        private final ProgressListener listener;
        /** The indexes of the paths sent, in the order sent. */
        private final int[] share;
        private String mode;
        /** How many of {@link #share} were answered. */
        private int next;

        HashParser(List<String> paths, int[] share, byte[][] hashes, AtomicInteger done, ProgressListener listener) {
            this.paths = paths;
            this.share = share;
            this.hashes = hashes;
            this.done = done;
            this.listener = listener;
        }

        @Override
        public void accept(byte[] record) {
            if (mode == null) {
                mode = new String(record, StandardCharsets.ISO_8859_1);
                return;
            }
            if (next >= share.length || record.length < 66) {
                throw new DeployException("unexpected output from sha256sum on " + target.hostAndPort());
            }
            String expected = paths.get(share[next]);
            if (mode.equals("Z")) {
                byte[] name = expected.getBytes(StandardCharsets.UTF_8);
                boolean same = record.length == 66 + name.length
                        && java.util.Arrays.equals(record, 66, record.length, name, 0, name.length);
                if (!same) {
                    throw new DeployException("sha256sum on " + target.hostAndPort() + " answered for another"
                            + " file than " + expected);
                }
            }
            hashes[share[next++]] = HexFormat.of().parseHex(new String(record, 0, 64, StandardCharsets.ISO_8859_1));
            int d = done.incrementAndGet();
            if ((d & 255) == 0) {
                listener.progressed(Stage.REMOTE_HASH, d);
            }
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
