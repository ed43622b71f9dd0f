package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The entries of one tree, sorted by path (String order, which is the order of UTF-16 code units and is
 * deterministic whatever order the file system returns). A sorted array rather than a map: half the memory,
 * and a diff is a linear merge.
 */
public final class Manifest implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Manifest EMPTY = new Manifest(new ManifestEntry[0]);

    private final ManifestEntry[] entries;

    private Manifest(ManifestEntry[] sorted) {
        this.entries = sorted;
    }

    public static Manifest empty() {
        return EMPTY;
    }

    /** Builds a manifest from entries in any order; the same path twice is a bug of the caller. */
    public static Manifest of(Collection<ManifestEntry> entries) {
        ManifestEntry[] array = entries.toArray(new ManifestEntry[0]);
        Arrays.sort(array);
        for (int i = 1; i < array.length; i++) {
            if (array[i - 1].path().equals(array[i].path())) {
                throw new IllegalArgumentException("path listed twice: " + array[i].path());
            }
        }
        return new Manifest(array);
    }

    public int size() {
        return entries.length;
    }

    public ManifestEntry get(int index) {
        return entries[index];
    }

    public Optional<ManifestEntry> find(String path) {
        int i = Arrays.binarySearch(entries, new ManifestEntry(path, EntryType.DIRECTORY, 0, null));
        return i >= 0 ? Optional.of(entries[i]) : Optional.empty();
    }

    /** A read-only view in path order. */
    public List<ManifestEntry> entries() {
        return new AbstractList<>() {
            @Override
            public ManifestEntry get(int index) {
                return entries[index];
            }

            @Override
            public int size() {
                return entries.length;
            }
        };
    }

    /** Files and symbolic links only: what a web server serves. */
    public long contentCount() {
        return Arrays.stream(entries).filter(e -> e.type() != EntryType.DIRECTORY).count();
    }

    public long totalBytes() {
        return Arrays.stream(entries)
                .filter(e -> e.type() == EntryType.FILE)
                .mapToLong(ManifestEntry::size)
                .sum();
    }
}
