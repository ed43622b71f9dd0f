package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
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
     * @param stored the manifest stored with the listed release, or {@link StoredManifest#NONE} to hash every candidate
     */
    public static Manifest hashed(ReleaseReader reader, RemoteListing listing, List<ManifestEntry> build,
            StoredManifest stored, ProgressListener listener) throws IOException {
        List<String> toHash = new ArrayList<>();
        Map<String, byte[]> known = new HashMap<>();
        for (ManifestEntry candidate : sameSizeFiles(build, listing.entries())) {
            byte[] hash = stored.hashOf(candidate);
            if (hash != null) {
                known.put(candidate.path(), hash);
            } else {
                toHash.add(candidate.path());
            }
        }
        if (!stored.isEmpty()) {
            listener.info(known.size() + " hashes taken from the manifest stored with release "
                    + listing.release().releaseName() + ", " + toHash.size() + " files to hash on the server");
        }
        List<byte[]> hashes = reader.hash(listing, toHash, listener);
        for (int i = 0; i < toHash.size(); i++) {
            known.put(toHash.get(i), hashes.get(i));
        }
        return withHashes(listing.entries(), known);
    }

    /** Live files worth hashing: those the build also has, as a file of the same size. */
    private static List<ManifestEntry> sameSizeFiles(List<ManifestEntry> build, List<ManifestEntry> live) {
        Map<String, ManifestEntry> byPath = new HashMap<>(build.size() * 2);
        for (ManifestEntry e : build) {
            if (e.type() == EntryType.FILE) {
                byPath.put(e.path(), e);
            }
        }
        List<ManifestEntry> candidates = new ArrayList<>();
        for (ManifestEntry e : live) {
            ManifestEntry b = e.type() == EntryType.FILE ? byPath.get(e.path()) : null;
            if (b != null && b.size() == e.size()) {
                candidates.add(e);
            }
        }
        return candidates;
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
