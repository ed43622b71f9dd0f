package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredHashes;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A listed release made comparable with a build: only its files of the same size as the build's need a hash (a
 * different size is already a change), and of those only the ones whose stored hash is not current are hashed on the
 * server, so a diff costs reading what may have changed and nothing more.
 */
public final class ReleaseContent {
    private ReleaseContent() {}

    /**
     * Lists nothing: gives the candidates of an existing listing their hashes, from {@code stored} where their size
     * and modification time are as stored, else by hashing them on the server.
     *
     * <p>Both sides are paired by a merge walk of their sorted columns, and the hashes written into a column beside
     * the listing's: no map of paths and no object per entry (see {@link Manifest}).
     *
     * @param stored the manifest stored with the listed release, or {@link StoredManifest#NONE} to hash every candidate
     */
    public static Manifest hashed(ReleaseReader reader, RemoteListing listing, Manifest build,
            StoredHashes stored, ProgressListener listener) throws IOException {
        Manifest live = listing.manifest();
        java.util.BitSet candidate = sameSizeFiles(build, live);
        Manifest.HashColumn hashes = live.hashColumn();
        int fromStored = stored.hashesInto(live, candidate, hashes);
        boolean storedWasEmpty = stored.isEmpty();
        int missing = 0;
        for (int i = 0; i < live.size(); i++) {
            missing += candidate.get(i) && !hashes.has(i) ? 1 : 0;
        }
        List<String> toHash = new ArrayList<>(missing);
        int[] hashedAt = new int[missing];
        for (int i = 0; i < live.size(); i++) {
            if (candidate.get(i) && !hashes.has(i)) {
                hashedAt[toHash.size()] = i;
                toHash.add(live.path(i));
            }
        }
        if (!storedWasEmpty) {
            listener.info(fromStored + " hashes taken from the manifest stored with release "
                    + listing.release().releaseName() + ", " + toHash.size() + " files to hash on the server");
        }
        List<byte[]> computed = reader.hash(listing, toHash, listener);
        for (int k = 0; k < toHash.size(); k++) {
            hashes.set(hashedAt[k], computed.get(k));
        }
        return live.withHashes(hashes);
    }

    /** As the other form, for a build given as entries (in any order). */
    public static Manifest hashed(ReleaseReader reader, RemoteListing listing, List<ManifestEntry> build,
            StoredManifest stored, ProgressListener listener) throws IOException {
        return hashed(reader, listing, Manifest.of(build), stored, listener);
    }

    /**
     * For each live entry, whether the build has a file of the same path and size where the live one is a file (so
     * only its hash can tell whether it changed). Both sorted by path.
     */
    private static java.util.BitSet sameSizeFiles(Manifest build, Manifest live) {
        java.util.BitSet twin = new java.util.BitSet(live.size());
        int j = 0;
        for (int i = 0; i < live.size(); i++) {
            int order = 1;
            while (j < build.size() && (order = build.comparePath(j, live, i)) < 0) {
                j++;
            }
            twin.set(i, j < build.size() && order == 0 && live.type(i) == EntryType.FILE
                    && build.type(j) == EntryType.FILE && build.fileSize(j) == live.fileSize(i));
        }
        return twin;
    }

    public static Manifest withHashes(List<ManifestEntry> entries, List<String> paths, List<byte[]> hashes) {
        Map<String, byte[]> byPath = new HashMap<>(paths.size() * 2);
        for (int i = 0; i < paths.size(); i++) {
            byPath.put(paths.get(i), hashes.get(i));
        }
        return withHashes(entries, byPath);
    }

    private static Manifest withHashes(List<ManifestEntry> entries, Map<String, byte[]> byPath) {
        List<ManifestEntry> out = new ArrayList<>(entries.size());
        for (ManifestEntry e : entries) {
            byte[] h = e.type() == EntryType.FILE ? byPath.get(e.path()) : null;
            out.add(h != null ? e.withHash(h) : e);
        }
        return Manifest.of(out);
    }
}
