package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the NUL-separated output of {@link ShellReleaseReader}'s listing script, record by record:
 *
 * <pre>
 * cfd1 NPROC STATE [LINKTEXT] [X | R PHYSICALPATH (TYPE SIZE MTIME LINKTEXT PATH)*]
 * </pre>
 *
 * STATE is L (link), D (folder), F (some other file), A (absent, parent exists) or P (parent missing); X after a
 * link means it dangles. Entries come from {@code find -printf '%y\0%s\0%T@\0%l\0%P\0'}.
 */
final class ListingParser implements Consumer<byte[]> {
    static final String MARKER = "cfd1";

    /** What the next record is. */
    private enum Expect {
        MARKER, CPUS, STATE, LINK_TEXT, RELEASE_TAG, RELEASE_PATH, TYPE, SIZE, MTIME, TARGET, PATH, NOTHING
    }

    private final String where;
    private final ProgressListener listener;
    private final Manifest.Builder entries = new Manifest.Builder(1024);
    private Expect expect = Expect.MARKER;
    private boolean sawMarker;
    private int remoteCpus = 1;
    private String state;
    private String linkText;
    private String releasePath;
    private boolean dangling;
    private char type;
    private long size;
    private long mtime;
    private String target;

    ListingParser(String where, ProgressListener listener) {
        this.where = where;
        this.listener = listener;
    }

    @Override
    public void accept(byte[] record) {
        switch (expect) {
            case MARKER -> {
                if (!MARKER.equals(ascii(record))) {
                    throw new DeployException("unexpected output from the listing command on " + where);
                }
                sawMarker = true;
                expect = Expect.CPUS;
            }
            case CPUS -> {
                remoteCpus = parseCpus(record);
                expect = Expect.STATE;
            }
            case STATE -> {
                state = ascii(record);
                expect = switch (state) {
                    case "L" -> Expect.LINK_TEXT;
                    case "D" -> Expect.RELEASE_TAG;
                    default -> Expect.NOTHING;
                };
            }
            case LINK_TEXT -> {
                linkText = RelativePaths.decodeUtf8(record, where);
                expect = Expect.RELEASE_TAG;
            }
            case RELEASE_TAG -> {
                dangling = ascii(record).equals("X");
                expect = dangling ? Expect.NOTHING : Expect.RELEASE_PATH;
            }
            case RELEASE_PATH -> {
                releasePath = RelativePaths.decodeUtf8(record, where);
                expect = Expect.TYPE;
            }
            case TYPE -> {
                type = record.length == 1 ? (char) record[0] : '?';
                expect = Expect.SIZE;
            }
            case SIZE -> {
                size = digits(record, record.length);
                expect = Expect.MTIME;
            }
            case MTIME -> {
                mtime = seconds(record);
                expect = Expect.TARGET;
            }
            case TARGET -> {
                target = type == 'l' ? RelativePaths.decodeUtf8(record, where) : null;
                expect = Expect.PATH;
            }
            case PATH -> {
                addEntry(record);
                expect = Expect.TYPE;
            }
            case NOTHING -> throw new DeployException("unexpected output from the listing command on " + where);
        }
    }

    private static String ascii(byte[] record) {
        return new String(record, StandardCharsets.ISO_8859_1);
    }

    private void addEntry(byte[] rawPath) {
        RelativePaths.requireSafeUtf8(rawPath, where);
        switch (type) {
            case 'f' -> entries.add(rawPath, 0, rawPath.length, EntryType.FILE, size, mtime);
            case 'd' -> entries.add(rawPath, 0, rawPath.length, EntryType.DIRECTORY, 0, ManifestEntry.NO_MTIME);
            case 'l' -> entries.add(new String(rawPath, StandardCharsets.UTF_8), EntryType.SYMLINK,
                    target.getBytes(StandardCharsets.UTF_8).length, ManifestEntry.NO_MTIME, Sha256.ofLinkTarget(target));
            default -> listener.warning("skipped " + RelativePaths.quoteForMessage(new String(rawPath,
                    StandardCharsets.UTF_8)) + " on " + where + ": not a regular file, folder or symbolic link");
        }
        if ((entries.size() & 1023) == 0) {
            listener.progressed(Stage.LIST, entries.size());
        }
    }

    /** {@code %T@} prints seconds with a fraction ({@code 1764000000.1234567890}); whole seconds are kept. */
    private long seconds(byte[] record) {
        int dot = 0;
        while (dot < record.length && record[dot] != '.') {
            dot++;
        }
        return digits(record, dot);
    }

    /**
     * The number the first {@code length} bytes spell, read without making a string of it (a listing has a size and
     * a time per entry); anything else than a plain number goes to {@link Long#parseLong}, and its error.
     */
    private long digits(byte[] record, int length) {
        long value = 0;
        boolean plain = length > 0 && length < 19;
        for (int i = 0; plain && i < length; i++) {
            int d = record[i] - '0';
            plain = d >= 0 && d <= 9;
            value = value * 10 + d;
        }
        if (plain) {
            return value;
        }
        try {
            return Long.parseLong(new String(record, 0, length, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            throw new DeployException("unexpected output from the listing command on " + where);
        }
    }

    private static int parseCpus(byte[] record) {
        try {
            return Math.max(1, Integer.parseInt(new String(record, StandardCharsets.ISO_8859_1).trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Whether the marker arrived: without it, the server did not run our command (no exec, or a forced command). */
    boolean sawMarker() {
        return sawMarker;
    }

    /** Whether the output ended where a complete listing ends (not cut short inside an entry). */
    boolean complete() {
        return expect == Expect.NOTHING || expect == Expect.TYPE;
    }

    int remoteCpus() {
        return remoteCpus;
    }

    String state() {
        return state;
    }

    String linkText() {
        return linkText;
    }

    /** The physical release path, or {@code null} if the listing did not get that far (or the link dangles). */
    String releasePath() {
        return releasePath;
    }

    boolean dangling() {
        return dangling;
    }

    /** The entries listed so far, in path order. */
    Manifest entries() {
        return entries.build();
    }

    int count() {
        return entries.size();
    }
}
