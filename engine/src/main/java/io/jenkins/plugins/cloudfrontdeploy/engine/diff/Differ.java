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
        // by index: an entry object is made only for what changed
        while (i < live.size() || j < build.size()) {
            int order = i == live.size() ? 1 : j == build.size() ? -1 : live.comparePath(i, build, j);
            if (order < 0) {
                ManifestEntry before = live.get(i);
                changes.add(new Change(before.path(), ChangeKind.REMOVED, before, null));
                i++;
            } else if (order > 0) {
                ManifestEntry after = build.get(j);
                changes.add(new Change(after.path(), ChangeKind.ADDED, null, after));
                j++;
            } else {
                if (live.sameContent(i, build, j)) {
                    if (build.type(j) != EntryType.DIRECTORY) {
                        unchanged++;
                    }
                } else {
                    ManifestEntry after = build.get(j);
                    changes.add(new Change(after.path(), ChangeKind.MODIFIED, live.get(i), after));
                }
                i++;
                j++;
            }
        }
        return new ChangeSet(changes, unchanged);
    }
}
