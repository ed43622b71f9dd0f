package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which files a build removed stay servable in the new release ({@code --keep-removed}), and which of those kept
 * before go now. A page a browser or an edge still holds from the previous release loads that release's assets;
 * deleting them with the deploy breaks it (the "ChunkLoadError after deploy"), so a removed file stays, hard-linked
 * and not invalidated, until {@code keepRemoved} later deploys have happened.
 *
 * <p>The rule: every removed regular file is kept, except documents ({@code .html}, {@code .htm}, {@code .xhtml} and
 * the index documents), which people reach by their URL rather than through a page; a removed page must go when the
 * build says so. Names are not searched for a content hash: bundlers spell hashes in many ways, and some assets old
 * pages load carry none ({@code _buildManifest.js} under a build-id folder). Links are not kept. A file is not kept
 * where the build puts a file or link on one of its folders.
 */
public final class GracePeriod {
    private static final List<String> DOCUMENT_SUFFIXES = List.of(".html", ".htm", ".xhtml");

    /** A folder kept only for the kept files below it. */
    public static final int FOLDER = -1;

    /** Nothing kept, nothing expired. */
    public static final Decision NONE = new Decision(Map.of(), List.of(), List.of());

    private GracePeriod() {}

    /**
     * What the new release holds beyond the build.
     *
     * @param marks path ▶ age of every kept path in the new release ({@link #FOLDER} for folders), for its manifest
     * @param entries the kept files and folders as the release they come from lists them, sorted
     * @param expired files kept until now that the new release no longer holds (nor does the build), sorted
     */
    public record Decision(Map<String, Integer> marks, List<ManifestEntry> entries, List<String> expired) {
        public Decision {
            marks = Map.copyOf(marks);
            entries = List.copyOf(entries);
            expired = List.copyOf(expired);
        }

        /** The kept files (not folders) with their age, sorted. */
        public Map<String, Integer> files() {
            Map<String, Integer> out = new TreeMap<>();
            marks.forEach((p, age) -> {
                if (age != FOLDER) {
                    out.put(p, age);
                }
            });
            return out;
        }

        /** The paths of the kept files, to be hashed with the build's. */
        public List<ManifestEntry> fileEntries() {
            return entries.stream().filter(e -> e.type() == EntryType.FILE).toList();
        }

        /** The release this decision describes: the build plus the kept entries taken (hashed) from {@code from}. */
        public Manifest target(Manifest build, Manifest from) {
            if (entries.isEmpty()) {
                return build;
            }
            List<ManifestEntry> all = new ArrayList<>(build.entries());
            for (ManifestEntry e : entries) {
                all.add(from.find(e.path()).orElse(e));
            }
            return Manifest.of(all);
        }
    }

    /** Whether the name is a document: a page people reach by its URL, never kept. */
    public static boolean isDocument(String path, Collection<String> indexDocuments) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String lower = name.toLowerCase(Locale.ROOT);
        return DOCUMENT_SUFFIXES.stream().anyMatch(lower::endsWith) || indexDocuments.contains(name);
    }

    /**
     * Decides for a new release seeded from {@code previous}.
     *
     * @param previous the release live before, as listed
     * @param marks the marks stored with it
     * @param build the new build's entries
     * @param keepRemoved deploys a removed file stays for; 0 keeps nothing (and lets every kept file go)
     */
    public static Decision decide(List<ManifestEntry> previous, Map<String, Integer> marks, List<ManifestEntry> build,
            int keepRemoved, Collection<String> indexDocuments) {
        if (previous.isEmpty() || (keepRemoved <= 0 && marks.isEmpty())) {
            return NONE;
        }
        Map<String, EntryType> inBuild = types(build);
        Map<String, ManifestEntry> folders = new HashMap<>();
        Map<String, Integer> kept = new TreeMap<>();
        List<ManifestEntry> entries = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (ManifestEntry e : previous) {
            if (e.type() == EntryType.DIRECTORY) {
                folders.put(e.path(), e);
            }
            if (e.type() != EntryType.FILE || inBuild.containsKey(e.path())) {
                continue; // the build's own, or a re-added kept file: a build file again
            }
            Integer mark = marks.get(e.path());
            int age = mark == null || mark == FOLDER ? 0 : mark + 1;
            if (age < keepRemoved && !isDocument(e.path(), indexDocuments) && foldersFree(e.path(), inBuild)) {
                kept.put(e.path(), age);
                entries.add(e);
            } else if (mark != null && mark != FOLDER) {
                expired.add(e.path());
            }
        }
        for (String path : List.copyOf(kept.keySet())) {
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                String folder = path.substring(0, slash);
                if (!inBuild.containsKey(folder) && kept.putIfAbsent(folder, FOLDER) == null) {
                    entries.add(folders.getOrDefault(folder, ManifestEntry.directory(folder)));
                }
            }
        }
        entries.sort(null);
        expired.sort(null);
        return new Decision(kept, entries, expired);
    }

    /**
     * The decision a release already made, read back from its own marks (a re-run after its switch): what it holds
     * beyond the build, and the files the release before it kept that it no longer holds.
     */
    public static Decision asStored(List<ManifestEntry> release, Map<String, Integer> marks,
            Map<String, Integer> previousMarks, List<ManifestEntry> build) {
        Map<String, EntryType> inBuild = types(build);
        Map<String, Integer> kept = new TreeMap<>();
        List<ManifestEntry> entries = new ArrayList<>();
        Set<String> held = types(release).keySet();
        for (ManifestEntry e : release) {
            Integer mark = marks.get(e.path());
            if (mark != null && !inBuild.containsKey(e.path())) {
                kept.put(e.path(), mark);
                entries.add(e);
            }
        }
        List<String> expired = new ArrayList<>();
        previousMarks.forEach((p, age) -> {
            if (age != FOLDER && !held.contains(p) && !inBuild.containsKey(p)) {
                expired.add(p);
            }
        });
        entries.sort(null);
        expired.sort(null);
        return new Decision(kept, entries, expired);
    }

    private static Map<String, EntryType> types(List<ManifestEntry> entries) {
        Map<String, EntryType> out = new HashMap<>(entries.size() * 2);
        entries.forEach(e -> out.put(e.path(), e.type()));
        return out;
    }

    /** No folder of the path is a file or link in the build (a kept file would stand in its way). */
    private static boolean foldersFree(String path, Map<String, EntryType> inBuild) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            EntryType t = inBuild.get(path.substring(0, slash));
            if (t != null && t != EntryType.DIRECTORY) {
                return false;
            }
        }
        return true;
    }

    /** The build's view of a release: its listing without the paths it holds only because they are kept. */
    public static Manifest withoutKept(Manifest release, Map<String, Integer> marks) {
        if (marks.isEmpty()) {
            return release;
        }
        return release.filter(i -> !marks.containsKey(release.path(i)));
    }
}
