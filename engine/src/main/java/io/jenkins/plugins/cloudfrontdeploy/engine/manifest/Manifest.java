package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

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
 * <p>Kept in columns, not as an object per entry, because an agent may hold two million-file manifests at once:
 * paths as UTF-8 in chunks, types, sizes and modification times in primitive arrays, hashes 32 bytes each in chunks
 * (files and links only). That is about 50 bytes plus the path's length per file, where entry objects with their
 * strings and hash arrays took about 200 (issue 14: 186 B per file for a whole diff, both sides). The columns are
 * kept in the order the entries were added; an index array gives the sorted order, so sorting moves no column. {@link #get} makes the {@link ManifestEntry} of an index on demand; stages that
 * walk a whole manifest use the index accessors instead and make no object per entry.
 *
 * <p>The listing columns are shared, never changed, between a manifest and the ones {@link #withHashes} derives
 * from it (a listing and the same listing hashed), so hashing a listing costs only its hash column.
 */
public final class Manifest implements Serializable {
    private static final long serialVersionUID = 2L;

    static final int HASH = Hashes.HASH;
    private static final EntryType[] TYPES = EntryType.values();
    private static final Manifest EMPTY = new Builder(0).build();

    private final Listing listing;
    /** By slot (see {@link Listing#slot}), or {@code null} when no hash is known. */
    private final Hashes hashes;

    private Manifest(Listing listing, Hashes hashes) {
        this.listing = listing;
        this.hashes = hashes;
    }

    public static Manifest empty() {
        return EMPTY;
    }

    /** Builds a manifest from entries in any order; the same path twice is a bug of the caller. */
    public static Manifest of(Collection<ManifestEntry> entries) {
        Builder b = new Builder(entries.size());
        for (ManifestEntry e : entries) {
            b.add(e);
        }
        return b.build();
    }

    public int size() {
        return listing.order.length;
    }

    public ManifestEntry get(int index) {
        return new ManifestEntry(path(index), type(index), fileSize(index), hash(index), mtime(index));
    }

    /** The path of an entry, without making the entry. */
    public String path(int index) {
        int k = listing.order[index];
        return new String(listing.chunk(k), listing.from(k), listing.to(k) - listing.from(k), StandardCharsets.UTF_8);
    }

    public EntryType type(int index) {
        return TYPES[listing.types[listing.order[index]]];
    }

    /** The size of a file, or of a link's target text; 0 for a folder. */
    public long fileSize(int index) {
        return listing.size(listing.order[index]);
    }

    /** Seconds since the epoch, or {@link ManifestEntry#NO_MTIME}. */
    public long mtime(int index) {
        return listing.mtime(listing.order[index]);
    }

    public boolean hasHash(int index) {
        return hashes != null && listing.isContent(index) && hashes.has(listing.slot(index));
    }

    /** A copy of the entry's SHA-256, or {@code null} where not known. */
    public byte[] hash(int index) {
        return hasHash(index) ? hashes.get(listing.slot(index)) : null;
    }

    /** Compares the path of entry {@code i} with that of entry {@code j} of {@code other}, in path order. */
    public int comparePath(int i, Manifest other, int j) {
        Listing a = listing;
        Listing b = other.listing;
        int ka = a.order[i];
        int kb = b.order[j];
        return Utf8Order.compare(a.chunk(ka), a.from(ka), a.to(ka), b.chunk(kb), b.from(kb), b.to(kb));
    }

    /** Compares the path of entry {@code i} with a UTF-8 encoded path, in path order. */
    public int comparePath(int i, byte[] utf8, int from, int to) {
        int k = listing.order[i];
        return Utf8Order.compare(listing.chunk(k), listing.from(k), listing.to(k), utf8, from, to);
    }

    /** As {@link ManifestEntry#sameContentAs}, between entry {@code i} and entry {@code j} of {@code other}. */
    public boolean sameContent(int i, Manifest other, int j) {
        EntryType type = type(i);
        if (type != other.type(j)) {
            return false;
        }
        if (type == EntryType.DIRECTORY) {
            return true;
        }
        if (fileSize(i) != other.fileSize(j)) {
            return false;
        }
        if (!hasHash(i) || !other.hasHash(j)) {
            throw new IllegalStateException("content of " + path(i) + " compared before it was hashed");
        }
        return hashes.same(listing.slot(i), other.hashes, other.listing.slot(j));
    }

    /** The index of the entry with this path, or a negative number (as {@link Arrays#binarySearch}). */
    public int indexOf(byte[] utf8, int from, int to) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int order = comparePath(mid, utf8, from, to);
            if (order < 0) {
                lo = mid + 1;
            } else if (order > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    public int indexOf(String path) {
        byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
        return indexOf(utf8, 0, utf8.length);
    }

    public Optional<ManifestEntry> find(String path) {
        int i = indexOf(path);
        return i >= 0 ? Optional.of(get(i)) : Optional.empty();
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
                return Manifest.this.size();
            }
        };
    }

    /** Files and symbolic links only: what a web server serves. */
    public long contentCount() {
        long n = 0;
        for (int i = 0; i < size(); i++) {
            if (type(i) != EntryType.DIRECTORY) {
                n++;
            }
        }
        return n;
    }

    public long totalBytes() {
        long total = 0;
        for (int i = 0; i < size(); i++) {
            if (type(i) == EntryType.FILE) {
                total += fileSize(i);
            }
        }
        return total;
    }

    /** A hash column for this manifest holding the hashes it has, to be completed and given to {@link #withHashes}. */
    public HashColumn hashColumn() {
        int slots = listing.contentCount();
        return new HashColumn(listing, hashes == null ? new Hashes(slots) : hashes.copy(slots));
    }

    /**
     * The same entries with the hashes of {@code column}, which is not to be changed after; the listing columns are
     * shared, not copied.
     */
    public Manifest withHashes(HashColumn column) {
        if (column.listing != listing) {
            throw new IllegalArgumentException("a hash column of another listing");
        }
        return new Manifest(listing, column.hashes);
    }

    /** The entries whose index {@code keep} accepts, in a new manifest. */
    public Manifest filter(java.util.function.IntPredicate keep) {
        Builder b = new Builder(size());
        for (int i = 0; i < size(); i++) {
            if (keep.test(i)) {
                int k = listing.order[i];
                byte[] hash = hash(i);
                b.add(listing.chunk(k), listing.from(k), listing.to(k), type(i), fileSize(i), mtime(i), hash, 0,
                        hash != null);
            }
        }
        return b.build();
    }

    /**
     * Hashes by slot, for a build hashed while it is listed: the lister makes room for a slot ({@link #ensure}) before
     * handing the file to a hashing thread, which {@link #set}s it; {@link Builder#build(HashSlots)} takes them.
     */
    public static final class HashSlots {
        private final Hashes hashes = Hashes.growing();

        public void ensure(int slots) {
            hashes.ensure(slots);
        }

        public void set(int slot, byte[] sha256) {
            hashes.set(slot, sha256, 0);
        }
    }

    /** The SHA-256s of a manifest's entries, by sorted index, filled by whoever computes or looks them up. */
    public static final class HashColumn {
        private final Listing listing;
        private final Hashes hashes;

        HashColumn(Listing listing, Hashes hashes) {
            this.listing = listing;
            this.hashes = hashes;
        }

        /**
         * Sets the hash of one file or link. Safe from several threads for different indexes; the column must be
         * handed to {@link #withHashes} after they are all done.
         */
        public void set(int index, byte[] sha256) {
            if (sha256.length != HASH) {
                throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + sha256.length);
            }
            hashes.set(slot(index), sha256, 0);
        }

        /** Sets the hash of one entry from 64 lower- or upper-case hex digits in {@code hex} at {@code from}. */
        public void setHex(int index, byte[] hex, int from) {
            hashes.setHex(slot(index), hex, from);
        }

        public void clear(int index) {
            hashes.clear(slot(index));
        }

        public boolean has(int index) {
            return listing.isContent(index) && hashes.has(listing.slot(index));
        }

        private int slot(int index) {
            if (!listing.isContent(index)) {
                throw new IllegalArgumentException("a folder has no hash (" + index + ")");
            }
            return listing.slot(index);
        }
    }

    /**
     * The shared part: paths, types, sizes and modification times in the order added, and the sorted order. Paths
     * are UTF-8 in chunks of {@value #CHUNK} bytes that no path crosses, so that the column grows without copying
     * what it holds; the arrays are the builder's, not trimmed (a copy to trim them would double them for a moment).
     */
    private static final class Listing implements Serializable {
        private static final long serialVersionUID = 1L;
        static final int SHIFT = 16;
        static final int CHUNK = 1 << SHIFT;
        static final int MASK = CHUNK - 1;

        final byte[][] chunks;
        /** Where each path ends, as an offset in the chunks taken end to end. */
        final int[] ends;
        final byte[] types;
        final WideInts sizes;
        final WideInts mtimes;
        /** Sorted index ▶ column index. */
        final int[] order;
        /** By column index, a bit per file or link: the entries with a slot in a hash column. */
        private long[] content;
        /** Per 64 column indexes, how many files and links come before: a slot in O(1). */
        private int[] contentBefore;

        Listing(byte[][] chunks, int[] ends, byte[] types, WideInts sizes, WideInts mtimes, int[] order) {
            this.chunks = chunks;
            this.ends = ends;
            this.types = types;
            this.sizes = sizes;
            this.mtimes = mtimes;
            this.order = order;
            content = new long[(order.length + 63) >>> 6];
            contentBefore = new int[content.length + 1];
            for (int k = 0; k < order.length; k++) {
                if (types[k] != EntryType.DIRECTORY.ordinal()) {
                    content[k >>> 6] |= 1L << k;
                }
            }
            for (int w = 0; w < content.length; w++) {
                contentBefore[w + 1] = contentBefore[w] + Long.bitCount(content[w]);
            }
        }

        long size(int k) {
            return sizes.get(k);
        }

        long mtime(int k) {
            return mtimes.get(k);
        }

        /** Whether the entry of sorted index {@code i} is a file or link. */
        boolean isContent(int i) {
            int k = order[i];
            return (content[k >>> 6] & 1L << k) != 0;
        }

        /**
         * The slot of the file or link of sorted index {@code i} in a hash column: how many files and links were
         * listed before it. In listing order, so that a build can be hashed into its column while it is walked.
         */
        int slot(int i) {
            int k = order[i];
            return contentBefore[k >>> 6] + Long.bitCount(content[k >>> 6] & ((1L << k) - 1));
        }

        int contentCount() {
            return contentBefore[content.length];
        }

        byte[] chunk(int k) {
            return chunks[(ends[k] - 1) >>> SHIFT];
        }

        /** Where path {@code k} starts in its chunk: where the one before ends, or its chunk's start. */
        int from(int k) {
            int chunkStart = ((ends[k] - 1) >>> SHIFT) << SHIFT;
            return k == 0 ? 0 : Math.max(ends[k - 1], chunkStart) & MASK;
        }

        int to(int k) {
            return ((ends[k] - 1) & MASK) + 1;
        }
    }

    /**
     * Collects entries in any order into columns and sorts them once at {@link #build}. Paths must be relative,
     * '/'-separated and each given once (a second one is refused as a bug of the lister).
     */
    public static final class Builder {
        private byte[][] chunks = new byte[1][];
        private int chunkCount;
        /** Bytes of paths in the chunks before the current one, padding included. */
        private int chunkBase;
        private int[] ends;
        private byte[] types;
        private final WideInts sizes;
        private final WideInts mtimes;
        /** By slot, made at the first entry that comes with a hash (a link, or a manifest of entries). */
        private Hashes hashes;
        /** Files and links added: the next one's slot. */
        private int slots;
        private int count;
        private int pathEnd;
        private boolean sorted = true;
        private Manifest built;

        public Builder(int expected) {
            int capacity = Math.max(expected, 16);
            ends = new int[capacity];
            types = new byte[capacity];
            sizes = new WideInts(capacity);
            mtimes = new WideInts(capacity);
        }

        public Builder add(ManifestEntry e) {
            byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
            return add(path, 0, path.length, e.type(), e.size(), e.mtime(), e.sha256(), 0, e.hasHash());
        }

        /** @param sha256 the 32-byte hash, or {@code null} where not known */
        public Builder add(String path, EntryType type, long size, long mtime, byte[] sha256) {
            byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
            return add(utf8, 0, utf8.length, type, size, mtime, sha256, 0, sha256 != null);
        }

        /** As the other forms, with the path as UTF-8 bytes (not validated here) and no hash. */
        public Builder add(byte[] utf8, int from, int to, EntryType type, long size, long mtime) {
            return add(utf8, from, to, type, size, mtime, null, 0, false);
        }

        /** @param hashOffset where the 32 bytes of the hash start in {@code hashSource} */
        Builder add(byte[] utf8, int from, int to, EntryType type, long size, long mtime, byte[] hashSource,
                int hashOffset, boolean withHash) {
            if (built != null) {
                throw new IllegalStateException("entry added after the manifest was built");
            }
            int length = to - from;
            if (length < 1 || length > Listing.CHUNK) {
                throw new IllegalArgumentException("a path of " + length + " bytes cannot be listed");
            }
            if (count == ends.length) {
                grow();
            }
            byte[] chunk = room(length);
            if (sorted && count > 0) {
                int previous = count - 1;
                int previousFrom = previous == 0 ? 0 : Math.max(ends[previous - 1],
                        ((ends[previous] - 1) >>> Listing.SHIFT) << Listing.SHIFT) & Listing.MASK;
                byte[] previousChunk = chunks[(ends[previous] - 1) >>> Listing.SHIFT];
                sorted = Utf8Order.compare(previousChunk, previousFrom, ((ends[previous] - 1) & Listing.MASK) + 1,
                        utf8, from, to) < 0;
            }
            System.arraycopy(utf8, from, chunk, pathEnd - chunkBase, length);
            pathEnd += length;
            ends[count] = pathEnd;
            types[count] = (byte) type.ordinal();
            sizes.set(count, size);
            mtimes.set(count, mtime);
            if (type != EntryType.DIRECTORY) {
                if (withHash) {
                    if (hashes == null) {
                        hashes = Hashes.growing();
                    }
                    hashes.ensure(slots + 1);
                    hashes.set(slots, hashSource, hashOffset);
                }
                slots++;
            }
            count++;
            return this;
        }

        /** The chunk the next path of {@code length} bytes goes into, whole: a new one if it does not fit. */
        private byte[] room(int length) {
            int used = pathEnd - chunkBase;
            if (chunkCount > 0 && used + length <= Listing.CHUNK) {
                byte[] chunk = chunks[chunkCount - 1];
                if (used + length > chunk.length) { // the last chunk starts small: a tiny manifest stays tiny
                    chunk = Arrays.copyOf(chunk, Math.min(Listing.CHUNK, Math.max(used + length, chunk.length * 2)));
                    chunks[chunkCount - 1] = chunk;
                }
                return chunk;
            }
            if (chunkCount > 0) {
                chunkBase += Listing.CHUNK;
                pathEnd = chunkBase; // the rest of the full chunk is left unused
            }
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunks.length * 2);
            }
            byte[] chunk = new byte[chunkCount == 0 ? Math.max(length, 256) : Listing.CHUNK];
            chunks[chunkCount++] = chunk;
            return chunk;
        }

        private void grow() {
            int capacity = ends.length + (ends.length >> 1) + 1;
            ends = Arrays.copyOf(ends, capacity);
            types = Arrays.copyOf(types, capacity);
            sizes.grow(capacity);
            mtimes.grow(capacity);
        }

        public int size() {
            return count;
        }

        /** The slot the next file or link added takes in a hash column of the manifest. */
        public int nextSlot() {
            return slots;
        }

        /** The manifest of the entries added; the builder takes no more after it. */
        public Manifest build() {
            if (built == null) {
                built = sortedManifest();
            }
            return built;
        }

        private Manifest sortedManifest() {
            int n = count;
            Listing listing = new Listing(Arrays.copyOf(chunks, chunkCount), ends, types, sizes, mtimes, identity(n));
            chunks = null;
            if (!sorted) {
                IndexSort.sort(listing.order, (a, b) -> Utf8Order.compare(listing.chunk(a), listing.from(a),
                        listing.to(a), listing.chunk(b), listing.from(b), listing.to(b)));
            }
            for (int i = 1; i < n; i++) {
                int a = listing.order[i - 1];
                int b = listing.order[i];
                if (Utf8Order.compare(listing.chunk(a), listing.from(a), listing.to(a), listing.chunk(b),
                        listing.from(b), listing.to(b)) == 0) {
                    throw new IllegalArgumentException("path listed twice: " + new String(listing.chunk(b),
                            listing.from(b), listing.to(b) - listing.from(b), StandardCharsets.UTF_8));
                }
            }
            if (hashes != null) {
                hashes.ensure(slots); // room for the slots after the last one given a hash
            }
            return new Manifest(listing, hashes);
        }

        /**
         * The manifest of the entries added, with file hashes computed into {@code fileHashes} by slot ({@link
         * #nextSlot} when each file was added); links keep the hashes they were added with.
         */
        public Manifest build(HashSlots fileHashes) {
            Manifest listed = build();
            Hashes all = fileHashes.hashes;
            all.ensure(slots);
            if (hashes != null) {
                for (int slot = 0; slot < slots; slot++) {
                    if (hashes.has(slot)) {
                        all.set(slot, hashes.get(slot), 0);
                    }
                }
            }
            return new Manifest(listed.listing, all);
        }

        private static int[] identity(int n) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return order;
        }
    }
}
