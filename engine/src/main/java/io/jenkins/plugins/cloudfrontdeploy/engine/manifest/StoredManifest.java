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
public final class StoredManifest implements StoredHashes {
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

    /** Checks every record, so that a lookup later cannot fail; keeps the bytes (the caller must not change them). */
    public static StoredManifest parse(byte[] bytes) throws Unreadable {
        Map<String, Integer> marks = new HashMap<>();
        StoredRecords records = new StoredRecords(r -> {}, marks);
        records.write(bytes, 0, bytes.length);
        records.finish();
        return new StoredManifest(bytes, records.files(), Map.copyOf(marks));
    }

    /** Visits the file records of bytes {@link #parse} has checked. */
    private void walk(StoredRecords.Visitor visitor) {
        StoredRecords records = new StoredRecords(visitor, new HashMap<>());
        records.write(bytes, 0, bytes.length);
        try {
            records.finish();
        } catch (Unreadable e) {
            throw new IllegalStateException("checked by parse", e);
        }
    }

    private static byte[] sha256At(StoredRecords.FileRecord r) {
        return HEX.parseHex(new String(r.buffer(), r.hashAt(), 64, StandardCharsets.ISO_8859_1));
    }

    /** Visits the records of paths among {@code sorted} (sorted by path), with the index of the entry. */
    private void match(ManifestEntry[] sorted, ObjIntConsumer<StoredRecords.FileRecord> visitor) {
        walk(r -> {
            String path = new String(r.buffer(), r.pathFrom(), r.pathTo() - r.pathFrom(), StandardCharsets.UTF_8);
            int i = Arrays.binarySearch(sorted, ManifestEntry.directory(path));
            if (i >= 0) {
                visitor.accept(r, i);
            }
        });
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
     * Fills in {@code column} the stored hash of each candidate of {@code listed} whose size and modification time
     * are as stored, in one pass over the records and without making an object per record.
     *
     * @param candidate per entry of {@code listed}, whether its hash is wanted
     * @return how many candidates got their hash from here
     */
    @Override
    public int hashesInto(Manifest listed, java.util.BitSet candidate, Manifest.HashColumn column) {
        Lookup lookup = new Lookup(listed, candidate, column);
        lookup.write(bytes, 0, bytes.length);
        try {
            return lookup.finish();
        } catch (Unreadable e) {
            throw new IllegalStateException("checked by parse", e);
        }
    }

    /**
     * Looks up a listing's hashes in a stored manifest as its bytes arrive, so that it is never held whole. If the
     * bytes turn out unreadable, every hash it set is taken back.
     */
    public static final class Lookup extends java.io.OutputStream {
        private final Manifest listed;
        private final Manifest.HashColumn column;
        private final java.util.BitSet fromHere = new java.util.BitSet();
        private final Map<String, Integer> marks = new HashMap<>();
        private final StoredRecords records;

        /** @param candidate per entry of {@code listed}, whether its hash is wanted */
        public Lookup(Manifest listed, java.util.BitSet candidate, Manifest.HashColumn column) {
            this.listed = listed;
            this.column = column;
            this.records = new StoredRecords(r -> {
                int i = listed.indexOf(r.buffer(), r.pathFrom(), r.pathTo());
                if (i < 0 || !candidate.get(i)) {
                    return;
                }
                boolean current = listed.type(i) == EntryType.FILE && listed.mtime(i) != ManifestEntry.NO_MTIME
                        && r.size() == listed.fileSize(i) && r.mtime() == listed.mtime(i);
                if (current) {
                    column.setHex(i, r.buffer(), r.hashAt());
                    fromHere.set(i);
                } else if (fromHere.get(i)) {
                    column.clear(i); // a later record replaces an earlier one
                    fromHere.clear(i);
                }
            }, marks);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            records.write(b, off, len);
        }

        /** @return how many candidates got their hash from the stored manifest */
        public int finish() throws Unreadable {
            try {
                records.finish();
            } catch (Unreadable e) {
                fromHere.stream().forEach(column::clear);
                throw e;
            }
            return fromHere.cardinality();
        }

        /** The marks of the manifest's last segment; complete once {@link #finish} returned. */
        public Map<String, Integer> marks() {
            return Map.copyOf(marks);
        }

        /** File records read, superseded ones included. */
        public int records() {
            return records.files();
        }
    }

    /** The storable files of {@code release} that this manifest does not already record exactly as they are. */
    public List<ManifestEntry> missing(Collection<ManifestEntry> release) {
        ManifestEntry[] sorted = release.toArray(new ManifestEntry[0]);
        Arrays.sort(sorted);
        boolean[] recorded = new boolean[sorted.length];
        match(sorted, (r, i) -> recorded[i] = r.size() == sorted[i].size() && r.mtime() == sorted[i].mtime()
                && Arrays.equals(sha256At(r), sorted[i].sha256()));
        List<ManifestEntry> out = new ArrayList<>();
        for (int i = 0; i < sorted.length; i++) {
            if (storable(sorted[i]) && !recorded[i]) {
                out.add(sorted[i]);
            }
        }
        return out;
    }

    @Override
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
