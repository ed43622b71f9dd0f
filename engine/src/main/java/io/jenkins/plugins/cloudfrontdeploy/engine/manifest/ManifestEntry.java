package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One path of a tree: its type, size and SHA-256, and the modification time it was listed with.
 *
 * <p>For a symbolic link the size and hash are those of the link's target text, so a retargeted link is a change.
 * Directories carry neither. The hash is kept as raw bytes: a manifest of 50,000 files must stay small in memory.
 * The modification time is in whole seconds, the precision every transport gives (SFTP v3 carries no more): it only
 * decides whether a hash stored on the server may be trusted again, never whether content changed.
 */
public final class ManifestEntry implements Serializable, Comparable<ManifestEntry> {
    private static final long serialVersionUID = 1L;

    /** The modification time of an entry that was not listed with one. */
    public static final long NO_MTIME = Long.MIN_VALUE;

    private final String path;
    private final EntryType type;
    private final long size;
    private final byte[] sha256;
    private final long mtime;

    public ManifestEntry(String path, EntryType type, long size, byte[] sha256) {
        this(path, type, size, sha256, NO_MTIME);
    }

    /** @param mtime seconds since the epoch, or {@link #NO_MTIME} */
    public ManifestEntry(String path, EntryType type, long size, byte[] sha256, long mtime) {
        this.mtime = mtime;
        this.path = Objects.requireNonNull(path, "path");
        this.type = Objects.requireNonNull(type, "type");
        this.size = size;
        this.sha256 = sha256;
        if (sha256 != null && sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + sha256.length + " (" + path + ")");
        }
    }

    public static ManifestEntry directory(String path) {
        return new ManifestEntry(path, EntryType.DIRECTORY, 0, null);
    }

    /** Relative path, '/'-separated, no leading slash. */
    public String path() {
        return path;
    }

    public EntryType type() {
        return type;
    }

    public long size() {
        return size;
    }

    /** Whether the content hash is known (it is not for directories, nor for remote files not yet hashed). */
    public boolean hasHash() {
        return sha256 != null;
    }

    /** A copy of the SHA-256 bytes, or {@code null} where not known. */
    public byte[] sha256() {
        return sha256 == null ? null : sha256.clone();
    }

    /** Lower-case hex SHA-256, or {@code null} where not known. */
    public String sha256Hex() {
        return sha256 == null ? null : HexFormat.of().formatHex(sha256);
    }

    /** Seconds since the epoch, or {@link #NO_MTIME} where the listing had none. */
    public long mtime() {
        return mtime;
    }

    public ManifestEntry withHash(byte[] hash) {
        return new ManifestEntry(path, type, size, hash, mtime);
    }

    /** Same type, size and content. Both hashes must be known for files and links. */
    public boolean sameContentAs(ManifestEntry other) {
        if (type != other.type) {
            return false;
        }
        if (type == EntryType.DIRECTORY) {
            return true;
        }
        if (size != other.size) {
            return false;
        }
        if (sha256 == null || other.sha256 == null) {
            throw new IllegalStateException("content of " + path + " compared before it was hashed");
        }
        return Arrays.equals(sha256, other.sha256);
    }

    @Override
    public int compareTo(ManifestEntry o) {
        return path.compareTo(o.path);
    }

    /**
     * Same path, type, size and hash. Not the modification time: it tells when a copy was written, not what it holds,
     * so the same release on two servers is equal.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestEntry e
                && path.equals(e.path)
                && type == e.type
                && size == e.size
                && Arrays.equals(sha256, e.sha256);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return type.word() + " " + path + (type == EntryType.DIRECTORY ? "" : " " + size + " " + sha256Hex());
    }
}
