package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
     * <p>Both sides are paired by a merge walk of their sorted entries, and the hashes kept in an array beside them:
     * no map of paths, which would cost more heap per file than the entries themselves. A hashed entry takes the
     * build's path string, so the two sides share it.
     *
     * @param stored the manifest stored with the listed release, or {@link StoredManifest#NONE} to hash every candidate
     */
    public static Manifest hashed(ReleaseReader reader, RemoteListing listing, List<ManifestEntry> build,
            StoredManifest stored, ProgressListener listener) throws IOException {
        ManifestEntry[] live = sorted(listing.entries());
        ManifestEntry[] twin = sameSizeFiles(sorted(build), live);
        byte[][] hashes = stored.hashesOf(live);
        boolean storedWasEmpty = stored.isEmpty();
        stored = null; // its bytes may go now: the rest of the work needs only the hashes taken from it
        List<String> toHash = new ArrayList<>();
        int[] hashedAt = new int[live.length];
        int fromStored = 0;
        for (int i = 0; i < live.length; i++) {
            if (twin[i] == null) {
                hashes[i] = null; // not compared by content: a stored hash of it is not needed
                continue;
            }
            if (hashes[i] != null) {
                fromStored++;
            } else {
                hashedAt[toHash.size()] = i;
                toHash.add(live[i].path());
            }
        }
        if (!storedWasEmpty) {
            listener.info(fromStored + " hashes taken from the manifest stored with release "
                    + listing.release().releaseName() + ", " + toHash.size() + " files to hash on the server");
        }
        List<byte[]> computed = reader.hash(listing, toHash, listener);
        for (int k = 0; k < toHash.size(); k++) {
            hashes[hashedAt[k]] = computed.get(k);
        }
        for (int i = 0; i < live.length; i++) {
            if (hashes[i] != null) {
                ManifestEntry e = live[i];
                live[i] = new ManifestEntry(twin[i].path(), e.type(), e.size(), hashes[i], e.mtime());
            }
        }
        return Manifest.of(Arrays.asList(live));
    }

    private static ManifestEntry[] sorted(List<ManifestEntry> entries) {
        ManifestEntry[] array = entries.toArray(new ManifestEntry[0]);
        Arrays.sort(array);
        return array;
    }

    /**
     * For each live entry, the build's file of the same path if the live one is a file of the same size (so only
     * its hash can tell whether it changed), else {@code null}. Both arrays sorted by path.
     */
    private static ManifestEntry[] sameSizeFiles(ManifestEntry[] build, ManifestEntry[] live) {
        ManifestEntry[] twin = new ManifestEntry[live.length];
        int j = 0;
        for (int i = 0; i < live.length; i++) {
            ManifestEntry e = live[i];
            while (j < build.length && build[j].compareTo(e) < 0) {
                j++;
            }
            if (j < build.length && build[j].path().equals(e.path()) && e.type() == EntryType.FILE
                    && build[j].type() == EntryType.FILE && build[j].size() == e.size()) {
                twin[i] = build[j];
            }
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
