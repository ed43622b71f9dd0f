package io.jenkins.plugins.cloudfrontdeploy.engine.diff;

import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.io.Serializable;

/**
 * One changed path.
 *
 * @param before the live release's entry, {@code null} when added
 * @param after the new build's entry, {@code null} when removed
 */
public record Change(String path, ChangeKind kind, ManifestEntry before, ManifestEntry after) implements Serializable {
    /** The entry that describes the path now: the new one, or the removed one. */
    public ManifestEntry current() {
        return after != null ? after : before;
    }

    /**
     * Whether a URL is at stake: a file or link was added, changed or removed. Pure folder changes are not (a new
     * empty folder serves nothing), but a file that became a folder is.
     */
    public boolean touchesContent() {
        return (before != null && before.type() != EntryType.DIRECTORY)
                || (after != null && after.type() != EntryType.DIRECTORY);
    }
}
