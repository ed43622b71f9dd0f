package io.jenkins.plugins.cloudfrontdeploy.engine.report;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads paths given by hand for an invalidation: a {@code changes.txt} of a report ({@code M}, a tab, the path,
 * git-quoted where needed), or one path per line ({@code /docs/a.html} or {@code docs/a.html}, taken as modified;
 * {@code /docs/} as its index page).
 * Blank lines and lines starting with {@code #} are skipped.
 */
public final class ChangeListReader {
    private ChangeListReader() {}

    public static ChangeSet parse(List<String> lines, String where) {
        Map<String, Change> changes = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            ChangeKind kind = ChangeKind.MODIFIED;
            String path = line;
            if (line.length() > 2 && line.charAt(1) == '\t' && "AMD".indexOf(line.charAt(0)) >= 0) {
                kind = switch (line.charAt(0)) {
                    case 'A' -> ChangeKind.ADDED;
                    case 'D' -> ChangeKind.REMOVED;
                    default -> ChangeKind.MODIFIED;
                };
                path = GitQuoting.unquote(line.substring(2));
            }
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            if (path.isEmpty() || path.endsWith("/")) {
                path += "index.html"; // a folder's URL by hand means its index page (which also yields the URL)
            }
            path = RelativePaths.requireSafe(path, where + " line " + (i + 1));
            ManifestEntry entry = new ManifestEntry(path, EntryType.FILE, 0, null);
            changes.put(path, new Change(path, kind, kind == ChangeKind.ADDED ? null : entry,
                    kind == ChangeKind.REMOVED ? null : entry));
        }
        return new ChangeSet(new ArrayList<>(changes.values()), 0);
    }
}
