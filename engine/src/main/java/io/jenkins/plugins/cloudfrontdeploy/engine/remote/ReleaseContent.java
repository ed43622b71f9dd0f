package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A listed release made comparable with a build: only its files of the same size as the build's are hashed (a
 * different size is already a change), so a diff costs reading what may be unchanged and nothing more.
 */
public final class ReleaseContent {
    private ReleaseContent() {}

    /** Lists nothing: hashes the candidates of an existing listing and returns the release's manifest. */
    public static Manifest hashed(ReleaseReader reader, RemoteListing listing, List<ManifestEntry> build,
            ProgressListener listener) throws IOException {
        List<String> candidates = sameSizeFiles(build, listing.entries());
        return withHashes(listing.entries(), candidates, reader.hash(listing, candidates, listener));
    }

    /** Live files worth hashing: those the build also has, as a file of the same size. */
    public static List<String> sameSizeFiles(List<ManifestEntry> build, List<ManifestEntry> live) {
        Map<String, ManifestEntry> byPath = new HashMap<>(build.size() * 2);
        for (ManifestEntry e : build) {
            if (e.type() == EntryType.FILE) {
                byPath.put(e.path(), e);
            }
        }
        List<String> candidates = new ArrayList<>();
        for (ManifestEntry e : live) {
            ManifestEntry b = e.type() == EntryType.FILE ? byPath.get(e.path()) : null;
            if (b != null && b.size() == e.size()) {
                candidates.add(e.path());
            }
        }
        return candidates;
    }

    public static Manifest withHashes(List<ManifestEntry> entries, List<String> paths, List<byte[]> hashes) {
        Map<String, byte[]> byPath = new HashMap<>(paths.size() * 2);
        for (int i = 0; i < paths.size(); i++) {
            byPath.put(paths.get(i), hashes.get(i));
        }
        List<ManifestEntry> out = new ArrayList<>(entries.size());
        for (ManifestEntry e : entries) {
            byte[] h = e.type() == EntryType.FILE ? byPath.get(e.path()) : null;
            out.add(h != null ? e.withHash(h) : e);
        }
        return Manifest.of(out);
    }
}
