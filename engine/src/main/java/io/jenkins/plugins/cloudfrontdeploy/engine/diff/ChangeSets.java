package io.jenkins.plugins.cloudfrontdeploy.engine.diff;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Combines the change sets of several hosts whose live releases differ. */
public final class ChangeSets {
    private ChangeSets() {}

    /** Every path that changed on any host (the first host's change where several did); unchanged: the fewest. */
    public static ChangeSet union(List<ChangeSet> sets) {
        Map<String, Change> byPath = new TreeMap<>();
        long unchanged = Long.MAX_VALUE;
        for (ChangeSet set : sets) {
            for (Change c : set.all()) {
                byPath.putIfAbsent(c.path(), c);
            }
            unchanged = Math.min(unchanged, set.unchanged());
        }
        return new ChangeSet(List.copyOf(byPath.values()), sets.isEmpty() ? 0 : unchanged);
    }
}
