package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The entries of one tree, sorted by path (String order, which is the order of UTF-16 code units and is
 * deterministic whatever order the file system returns). A diff is a linear merge of two of them.
 *
 * <p>Stored in columns, not as one object per entry: an agent may hold a million-file manifest. Paths are UTF-8,
 * front-coded (each one as the length of the prefix it shares with the previous path and the rest; sorted paths
 * share their folders) with a restart every {@value #RESTART} entries, so that {@link #get} decodes at most that
 * many; hashes are 32 bytes each in one array, sizes and modification times in {@code long[]}. About 60 bytes per
 * file instead of about 180 as entry objects. {@link #get} makes the {@link ManifestEntry} of an index on demand.
 */
public final class Manifest implements Serializable {
    private static final long serialVersionUID = 2L;

    private static final int RESTART = 16;
    private static final int HASH = 32;
    /** Set in {@link #types} where the entry's hash is known. */
    private static final byte HASHED = (byte) 0x80;
    private static final EntryType[] TYPES = EntryType.values();

    private static final Manifest EMPTY = new Builder(0).build();

    private final int size;
    private final byte[] paths;
    private final int[] restarts;
    private final byte[] types;
    private final long[] sizes;
    private final long[] mtimes;
    private final byte[] hashes;

    private Manifest(Builder b) {
        this.size = b.count;
        this.paths = b.paths.toByteArray();
        this.restarts = Arrays.copyOf(b.restarts, (b.count + RESTART - 1) / RESTART);
        this.types = b.types;
        this.sizes = b.sizes;
        this.mtimes = b.mtimes;
        this.hashes = b.hashes;
    }

    public static Manifest empty() {
        return EMPTY;
    }

    /** Builds a manifest from entries in any order; the same path twice is a bug of the caller. */
    public static Manifest of(Collection<ManifestEntry> entries) {
        ManifestEntry[] array = entries.toArray(new ManifestEntry[0]);
        sort(array);
        return ofSorted(array, null);
    }

    /**
     * Sorts entries in place into manifest order and refuses a path listed twice, so that hashes can be computed
     * straight into the array {@link #ofSorted} takes.
     */
    public static void sort(ManifestEntry[] entries) {
        Arrays.sort(entries);
        for (int i = 1; i < entries.length; i++) {
            if (entries[i - 1].path().equals(entries[i].path())) {
                throw new IllegalArgumentException("path listed twice: " + entries[i].path());
            }
        }
    }

    /**
     * A manifest of entries {@link #sort sorted} already.
     *
     * @param fileHashes {@code null}, or 32 bytes per entry: the hash of each file entry at its index (the entries'
     *                   own hashes are used for links, and for files when this is {@code null})
     */
    public static Manifest ofSorted(ManifestEntry[] sorted, byte[] fileHashes) {
        Builder b = new Builder(sorted.length);
        for (int i = 0; i < sorted.length; i++) {
            ManifestEntry e = sorted[i];
            if (fileHashes != null && e.type() == EntryType.FILE) {
                b.add(e, fileHashes, i * HASH);
            } else {
                b.add(e, e.hasHash() ? e.sha256() : null, 0);
            }
        }
        return b.build();
    }

    /**
     * A manifest of entries {@link #sort sorted} already, with the hashes found for them.
     *
     * @param hashes per entry, its hash, or {@code null} to keep the entry's own (none for a file not compared)
     */
    public static Manifest ofSortedWithHashes(ManifestEntry[] sorted, byte[][] hashes) {
        Builder b = new Builder(sorted.length);
        for (int i = 0; i < sorted.length; i++) {
            ManifestEntry e = sorted[i];
            byte[] hash = hashes[i] != null ? hashes[i] : e.hasHash() ? e.sha256() : null;
            b.add(e, hash, 0);
        }
        return b.build();
    }

    public int size() {
        return size;
    }

    public ManifestEntry get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        byte t = types[index];
        byte[] hash = (t & HASHED) != 0 ? Arrays.copyOfRange(hashes, index * HASH, index * HASH + HASH) : null;
        return new ManifestEntry(path(index), TYPES[t & 0x7f], sizes[index], hash, mtimes[index]);
    }

    /** The path of an entry, without making the entry. */
    public String path(int index) {
        int entry = index - index % RESTART;
        int[] at = {restarts[index / RESTART]};
        byte[] path = new byte[64];
        int length = 0;
        for (; entry <= index; entry++) {
            int shared = readVarint(at);
            int rest = readVarint(at);
            if (shared + rest > path.length) {
                path = Arrays.copyOf(path, Math.max(path.length * 2, shared + rest));
            }
            System.arraycopy(paths, at[0], path, shared, rest);
            at[0] += rest;
            length = shared + rest;
        }
        return new String(path, 0, length, StandardCharsets.UTF_8);
    }

    public Optional<ManifestEntry> find(String path) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int order = path(mid).compareTo(path);
            if (order < 0) {
                lo = mid + 1;
            } else if (order > 0) {
                hi = mid - 1;
            } else {
                return Optional.of(get(mid));
            }
        }
        return Optional.empty();
    }

    /** A read-only view in path order; its elements are made on each access. */
    public List<ManifestEntry> entries() {
        return new AbstractList<>() {
            @Override
            public ManifestEntry get(int index) {
                return Manifest.this.get(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Files and symbolic links only: what a web server serves. */
    public long contentCount() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (type(i) != EntryType.DIRECTORY) {
                n++;
            }
        }
        return n;
    }

    public long totalBytes() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            if (type(i) == EntryType.FILE) {
                total += sizes[i];
            }
        }
        return total;
    }

    private EntryType type(int index) {
        return TYPES[types[index] & 0x7f];
    }

    private int readVarint(int[] at) {
        int value = 0;
        int shift = 0;
        byte b;
        do {
            b = paths[at[0]++];
            value |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return value;
    }

    /** Appends entries in order into the columns. */
    private static final class Builder {
        private final ByteArrayOutputStream paths = new ByteArrayOutputStream();
        private final int[] restarts;
        private final byte[] types;
        private final long[] sizes;
        private final long[] mtimes;
        private final byte[] hashes;
        private byte[] previous = new byte[0];
        private int count;

        Builder(int capacity) {
            restarts = new int[(capacity + RESTART - 1) / RESTART];
            types = new byte[capacity];
            sizes = new long[capacity];
            mtimes = new long[capacity];
            hashes = new byte[capacity * HASH];
        }

        void add(ManifestEntry e, byte[] hash, int hashOffset) {
            byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
            int shared = 0;
            if (count % RESTART == 0) {
                restarts[count / RESTART] = paths.size();
            } else {
                int max = Math.min(path.length, previous.length);
                while (shared < max && path[shared] == previous[shared]) {
                    shared++;
                }
            }
            writeVarint(shared);
            writeVarint(path.length - shared);
            paths.write(path, shared, path.length - shared);
            previous = path;
            types[count] = (byte) (e.type().ordinal() | (hash != null ? HASHED : 0));
            sizes[count] = e.size();
            mtimes[count] = e.mtime();
            if (hash != null) {
                System.arraycopy(hash, hashOffset, hashes, count * HASH, HASH);
            }
            count++;
        }

        private void writeVarint(int value) {
            while ((value & ~0x7f) != 0) {
                paths.write((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            paths.write(value);
        }

        Manifest build() {
            return new Manifest(this);
        }
    }
}
