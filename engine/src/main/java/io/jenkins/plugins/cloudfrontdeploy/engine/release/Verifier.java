package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Differ;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseContent;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.RemoteListing;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a staged release against the build before production may point at it: one listing compares every path,
 * type and size (and link targets), and every file's content is compared by hash. A hash is never inferred from a
 * size: a file not uploaded by this run keeps the hash it was known by before staging (the seeded release's, or the
 * one computed when a resumed folder was re-diffed) only while it is that same file, listed with the same size and
 * modification time; any other file is hashed on the server.
 */
final class Verifier {
    private Verifier() {}

    /**
     * @param known what the folder held before this run staged it, hashed: the release it was seeded from, or the
     *     resumed folder as re-diffed
     * @param uploaded paths whose content this run sent (hashed on the server)
     * @return the staged release as listed (so with modification times), every file with its hash
     */
    static Manifest verify(Server server, String releasePath, Manifest build, Manifest known, Set<String> uploaded,
            ProgressListener listener) throws IOException {
        RemoteListing listing = server.reader().listFolder(releasePath, listener);
        List<ManifestEntry> toHash = new ArrayList<>();
        List<ManifestEntry> staged = new ArrayList<>(listing.entries().size());
        for (ManifestEntry e : listing.entries()) {
            if (e.type() != EntryType.FILE) {
                staged.add(e); // folders compare by type, links by the hash of their target text
                continue;
            }
            ManifestEntry before = uploaded.contains(e.path()) ? null : known.find(e.path()).orElse(null);
            if (before != null && before.type() == EntryType.FILE && before.hasHash() && before.size() == e.size()
                    && before.mtime() == e.mtime() && e.mtime() != ManifestEntry.NO_MTIME) {
                staged.add(e.withHash(before.sha256()));
            } else {
                toHash.add(e);
            }
        }
        List<String> paths = toHash.stream().map(ManifestEntry::path).toList();
        staged.addAll(ReleaseContent.withHashes(toHash, paths, server.reader().hash(listing, paths, listener))
                .entries());
        Manifest verified = Manifest.of(staged);
        ChangeSet mismatch = Differ.diff(verified, build);
        if (!mismatch.isEmpty()) {
            throw new DeployException("the staged release " + releasePath + " on " + server.target() + " does not"
                    + " match the build (" + mismatch.all().size() + " difference"
                    + (mismatch.all().size() == 1 ? "" : "s") + ": " + describe(mismatch) + "), so production was"
                    + " not switched to it");
        }
        listener.progressed(Stage.VERIFY, listing.entries().size());
        return verified;
    }

    private static String describe(ChangeSet mismatch) {
        return mismatch.all().stream().limit(3)
                .map(Verifier::describe)
                .collect(Collectors.joining(", ")) + (mismatch.all().size() > 3 ? ", …" : "");
    }

    private static String describe(Change c) {
        String path = RelativePaths.quoteForMessage(c.path());
        return switch (c.kind()) {
            case ADDED -> path + " is missing";
            case REMOVED -> path + " should not be there";
            case MODIFIED -> path + " differs";
        };
    }
}
