package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    private final List<ManifestEntry> entries = new ArrayList<>();
    private Expect expect = Expect.MARKER;
    private boolean sawMarker;
    private int remoteCpus = 1;
    private String state;
    private String linkText;
    private String releasePath;
    private boolean dangling;
    private String type;
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
                type = ascii(record);
                expect = Expect.SIZE;
            }
            case SIZE -> {
                size = Long.parseLong(ascii(record));
                expect = Expect.MTIME;
            }
            case MTIME -> {
                mtime = seconds(ascii(record));
                expect = Expect.TARGET;
            }
            case TARGET -> {
                target = type.equals("l") ? RelativePaths.decodeUtf8(record, where) : null;
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
        String path = RelativePaths.requireSafe(RelativePaths.decodeUtf8(rawPath, where), where);
        switch (type) {
            case "f" -> entries.add(new ManifestEntry(path, EntryType.FILE, size, null, mtime));
            case "d" -> entries.add(ManifestEntry.directory(path));
            case "l" -> entries.add(new ManifestEntry(path, EntryType.SYMLINK,
                    target.getBytes(StandardCharsets.UTF_8).length, Sha256.ofLinkTarget(target)));
            default -> listener.warning("skipped " + RelativePaths.quoteForMessage(path) + " on " + where
                    + ": not a regular file, folder or symbolic link");
        }
        if ((entries.size() & 1023) == 0) {
            listener.progressed(Stage.LIST, entries.size());
        }
    }

    /** {@code %T@} prints seconds with a fraction ({@code 1764000000.1234567890}); whole seconds are kept. */
    private static long seconds(String text) {
        int dot = text.indexOf('.');
        return Long.parseLong(dot < 0 ? text : text.substring(0, dot));
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

    List<ManifestEntry> entries() {
        return entries;
    }
}
