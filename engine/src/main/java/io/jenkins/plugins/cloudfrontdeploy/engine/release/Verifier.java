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
 * type and size (and link targets), and the files that were uploaded are hashed on the server. Files seeded by hard
 * link are the live release's own, already known to match.
 */
final class Verifier {
    private Verifier() {}

    /**
     * @param uploaded paths whose content was sent (hashed on the server)
     * @return the staged release as listed (so with modification times), every file with its hash
     */
    static Manifest verify(Server server, String releasePath, Manifest build, Set<String> uploaded,
            ProgressListener listener) throws IOException {
        RemoteListing listing = server.reader().listFolder(releasePath, listener);
        List<ManifestEntry> toHash = new ArrayList<>();
        List<ManifestEntry> staged = new ArrayList<>(listing.entries().size());
        for (ManifestEntry e : listing.entries()) {
            if (e.type() != EntryType.FILE) {
                staged.add(e); // folders compare by type, links by the hash of their target text
            } else if (uploaded.contains(e.path())) {
                toHash.add(e);
            } else {
                // seeded by hard link and already compared by the diff: checked by size, given the build's hash;
                // a file of another size gets a hash that cannot match
                ManifestEntry b = build.find(e.path()).orElse(null);
                boolean sameSize = b != null && b.type() == EntryType.FILE && b.size() == e.size();
                staged.add(e.withHash(sameSize ? b.sha256() : new byte[32]));
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
                    + (mismatch.all().size() == 1 ? "" : "s") + ": " + describe(mismatch) + "); production was not"
                    + " switched. Run the deploy again to repair the staged release");
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
