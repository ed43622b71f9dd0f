package io.jenkins.plugins.cloudfrontdeploy.engine.diff;

import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.List;

/** The Diff stage: a linear merge of two sorted manifests. */
public final class Differ {
    private Differ() {}

    /**
     * @param live the release behind the link (files of a different size than the build's need no hash)
     * @param build the new build, fully hashed
     */
    public static ChangeSet diff(Manifest live, Manifest build) {
        List<Change> changes = new ArrayList<>();
        long unchanged = 0;
        int i = 0;
        int j = 0;
        while (i < live.size() || j < build.size()) {
            ManifestEntry before = i < live.size() ? live.get(i) : null;
            ManifestEntry after = j < build.size() ? build.get(j) : null;
            int order = before == null ? 1 : after == null ? -1 : before.path().compareTo(after.path());
            if (order < 0) {
                changes.add(new Change(before.path(), ChangeKind.REMOVED, before, null));
                i++;
            } else if (order > 0) {
                changes.add(new Change(after.path(), ChangeKind.ADDED, null, after));
                j++;
            } else {
                if (before.sameContentAs(after)) {
                    if (after.type() != EntryType.DIRECTORY) {
                        unchanged++;
                    }
                } else {
                    changes.add(new Change(after.path(), ChangeKind.MODIFIED, before, after));
                }
                i++;
                j++;
            }
        }
        return new ChangeSet(changes, unchanged);
    }
}
