package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import java.util.List;

/**
 * The live release as listed: every entry with its type and size; links already hashed (their target text came with
 * the listing), files not yet (only those whose size matches the new build are worth hashing).
 */
public record RemoteListing(LiveRelease release, Manifest manifest) {
    /** The entries in path order, each made on access (see {@link Manifest#entries()}). */
    public List<ManifestEntry> entries() {
        return manifest.entries();
    }
}
