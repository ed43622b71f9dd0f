package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ObjIntConsumer;

/**
 * The hashes of a release's files as the tool stored them on the server after verifying the release, each with the
 * size and modification time the file had then. A listed file whose size and modification time still match is taken
 * to hold the same content, so its hash is not computed again (the quick check rsync makes); anything else is hashed.
 *
 * <p>Format: NUL-terminated fields, a {@value #MARKER} record opening each segment, then per file
 * {@code F path size mtime sha256-hex}. A later record of a path replaces an earlier one, so the manifest of a new
 * release can be written on the server as its predecessor's followed by only what changed. Records of paths the
 * release no longer holds are harmless: only listed files are looked up.
 *
 * <p>{@code K path age} records mark the paths the release holds only because a build removed them and they are kept
 * servable for a while ({@code --keep-removed}): age 0 in the release whose build removed the file, one more per later
 * release, -1 for a folder kept only for the files below it. Marks belong to the release that wrote them, so only
 * those of the last segment count: an appended manifest does not inherit its predecessor's.
 *
 * <p>Held as the bytes read, not as a map: a map of 50,000 paths costs more heap than the file itself. Each lookup
 * walks the records once against the sorted entries it is asked about, so a release is looked up in one pass.
 */
public final class StoredManifest {
    static final String MARKER = "cfdm1";
    private static final HexFormat HEX = HexFormat.of();

    public static final StoredManifest NONE = new StoredManifest(new byte[0], 0, Map.of());

    private final byte[] bytes;
    private final int records;
    private final Map<String, Integer> marks;

    private StoredManifest(byte[] bytes, int records, Map<String, Integer> marks) {
        this.bytes = bytes;
        this.records = records;
        this.marks = marks;
    }

    /** Thrown for bytes that are not a stored manifest. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /** One {@code F} record as read. */
    private record Record(String path, long size, long mtime, int hashAt) {}

    private interface RecordVisitor {
        void visit(Record r) throws Unreadable;
    }

    /** Checks every record, so that a lookup later cannot fail; keeps the bytes (the caller must not change them). */
    public static StoredManifest parse(byte[] bytes) throws Unreadable {
        int[] records = {0};
        Map<String, Integer> marks = new HashMap<>();
        walk(bytes, r -> records[0]++, marks);
        return new StoredManifest(bytes, records[0], Map.copyOf(marks));
    }

    private static void walk(byte[] bytes, RecordVisitor visitor) throws Unreadable {
        walk(bytes, visitor, new HashMap<>());
    }

    /** @param marks receives the marks of the last segment */
    private static void walk(byte[] bytes, RecordVisitor visitor, Map<String, Integer> marks) throws Unreadable {
        int pos = 0;
        boolean sawMarker = false;
        while (pos < bytes.length) {
            int end = nul(bytes, pos);
            String tag = new String(bytes, pos, end - pos, StandardCharsets.ISO_8859_1);
            pos = end + 1;
            if (tag.equals(MARKER)) {
                sawMarker = true;
                marks.clear(); // a release's marks are its own
            } else if (tag.equals("K") && sawMarker) {
                end = nul(bytes, pos);
                String path = new String(bytes, pos, end - pos, StandardCharsets.UTF_8);
                pos = end + 1;
                end = nul(bytes, pos);
                long age = number(new String(bytes, pos, end - pos, StandardCharsets.ISO_8859_1));
                pos = end + 1;
                if (age < -1 || age > Integer.MAX_VALUE) {
                    throw new Unreadable("'" + age + "' is not the age of a kept file");
                }
                marks.put(path, (int) age);
            } else if (tag.equals("F") && sawMarker) {
                String[] f = new String[3];
                for (int i = 0; i < 3; i++) {
                    end = nul(bytes, pos);
                    f[i] = new String(bytes, pos, end - pos, StandardCharsets.UTF_8);
                    pos = end + 1;
                }
                end = nul(bytes, pos);
                checkSha256(bytes, pos, end);
                visitor.visit(new Record(f[0], number(f[1]), number(f[2]), pos));
                pos = end + 1;
            } else {
                throw new Unreadable("unexpected record '" + tag.replaceAll("\\p{Cntrl}", "?") + "' at byte "
                        + (pos - tag.length() - 1));
            }
        }
    }

    private static int nul(byte[] bytes, int from) throws Unreadable {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        throw new Unreadable("cut short at byte " + from);
    }

    private static long number(String text) throws Unreadable {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Unreadable("'" + text + "' is not a number");
        }
    }

    private static void checkSha256(byte[] bytes, int from, int end) throws Unreadable {
        boolean hex = end - from == 64;
        for (int i = from; hex && i < end; i++) {
            hex = Character.digit(bytes[i], 16) >= 0;
        }
        if (!hex) {
            throw new Unreadable("'" + new String(bytes, from, end - from, StandardCharsets.ISO_8859_1)
                    + "' is not a SHA-256");
        }
    }

    private byte[] sha256At(int at) {
        return HEX.parseHex(new String(bytes, at, 64, StandardCharsets.ISO_8859_1));
    }

    /** Visits the records of paths among {@code sorted} (sorted by path), with the index of the entry. */
    private void match(ManifestEntry[] sorted, ObjIntConsumer<Record> visitor) {
        try {
            walk(bytes, r -> {
                int i = Arrays.binarySearch(sorted, ManifestEntry.directory(r.path()));
                if (i >= 0) {
                    visitor.accept(r, i);
                }
            });
        } catch (Unreadable e) {
            throw new IllegalStateException("checked by parse", e);
        }
    }

    /** One segment: the files among {@code entries} that have a hash and a modification time. */
    public static byte[] encode(Collection<ManifestEntry> entries) {
        return encode(entries, Map.of());
    }

    /** One segment: the files among {@code entries} that have a hash and a modification time, and the marks. */
    public static byte[] encode(Collection<ManifestEntry> entries, Map<String, Integer> marks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 128);
        field(out, MARKER);
        for (ManifestEntry e : entries) {
            if (storable(e)) {
                field(out, "F");
                field(out, e.path());
                field(out, Long.toString(e.size()));
                field(out, Long.toString(e.mtime()));
                field(out, e.sha256Hex());
            }
        }
        for (Map.Entry<String, Integer> m : new TreeMap<>(marks).entrySet()) {
            field(out, "K");
            field(out, m.getKey());
            field(out, Integer.toString(m.getValue()));
        }
        return out.toByteArray();
    }

    /**
     * The paths the release holds only to keep them servable after a build removed them, each with its age (0: removed
     * by this release's build; -1: a folder kept for the files below it). Empty for a manifest without marks.
     */
    public Map<String, Integer> marks() {
        return marks;
    }

    private static boolean storable(ManifestEntry e) {
        return e.type() == EntryType.FILE && e.hasHash() && e.mtime() != ManifestEntry.NO_MTIME;
    }

    private static void field(ByteArrayOutputStream out, String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    /**
     * The stored hash of each of {@code listed}, or {@code null} where its size and modification time are not as
     * stored (or it is not a file, or was not stored).
     *
     * @param listed sorted by path, each path once
     * @return aligned with {@code listed}
     */
    public byte[][] hashesOf(ManifestEntry[] listed) {
        byte[][] hashes = new byte[listed.length][];
        match(listed, (r, i) -> {
            ManifestEntry e = listed[i];
            boolean current = e.type() == EntryType.FILE && e.mtime() != ManifestEntry.NO_MTIME
                    && r.size() == e.size() && r.mtime() == e.mtime();
            hashes[i] = current ? sha256At(r.hashAt()) : null; // a later record replaces an earlier one
        });
        return hashes;
    }

    /** The storable files of {@code release} that this manifest does not already record exactly as they are. */
    public List<ManifestEntry> missing(Collection<ManifestEntry> release) {
        ManifestEntry[] sorted = release.toArray(new ManifestEntry[0]);
        Arrays.sort(sorted);
        boolean[] recorded = new boolean[sorted.length];
        match(sorted, (r, i) -> recorded[i] = r.size() == sorted[i].size() && r.mtime() == sorted[i].mtime()
                && Arrays.equals(sha256At(r.hashAt()), sorted[i].sha256()));
        List<ManifestEntry> out = new ArrayList<>();
        for (int i = 0; i < sorted.length; i++) {
            if (storable(sorted[i]) && !recorded[i]) {
                out.add(sorted[i]);
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return records == 0;
    }

    /** Records in the file, superseded ones included: how far an appended manifest has grown. */
    public int records() {
        return records;
    }

    /** Bytes of the file this was read from. */
    public long length() {
        return bytes.length;
    }
}
