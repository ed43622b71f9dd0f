package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.IOException;

/** Where a listing's files may find the hashes stored for them: a stored manifest, held or read as it streams. */
public interface StoredHashes {
    /**
     * Fills in {@code column} the stored hash of each candidate of {@code listed} whose size and modification time
     * are as stored.
     *
     * @param candidate per entry of {@code listed}, whether its hash is wanted
     * @return how many candidates got their hash
     */
    int hashesInto(Manifest listed, java.util.BitSet candidate, Manifest.HashColumn column) throws IOException;

    /** Whether there was nothing to take hashes from (known once {@link #hashesInto} returned). */
    boolean isEmpty();
}
