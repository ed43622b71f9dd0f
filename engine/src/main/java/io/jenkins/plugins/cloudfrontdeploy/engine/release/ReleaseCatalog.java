package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LiveRelease;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The releases on one server, newest first: those this tool deployed (from the journal) and the live one whatever
 * made it, each marked live, bad (rolled back from), missing (its folder is gone) or the default rollback target.
 *
 * <p>The default target is the release the live one replaced; if that one is bad or not recorded, the newest good
 * release whose folder exists. There is none when production still rests on a finished rollback (running it again
 * does nothing), nor when the release the live one replaced is good but its folder is gone: rollback never jumps past
 * it to an older release unasked.
 */
public final class ReleaseCatalog {
    /**
     * One release.
     *
     * @param deployedAt when production was switched to it, {@code null} if never (or not by this tool)
     * @param files files and links in it as deployed, -1 when not known
     * @param createdByTool whether this tool made the folder (only those are ever deleted)
     * @param rollbackTarget whether {@code rollback} without {@code --to} would choose it
     * @param missing its folder no longer exists (deleted by retention, or by hand): never a rollback target
     */
    public record Entry(String name, String path, boolean live, boolean bad, boolean rollbackTarget,
            Instant deployedAt, long files, long bytes, boolean createdByTool, boolean missing)
            implements Serializable {}

    private final List<Entry> entries;
    private final RollbackJournal.Entry finishedRollback;
    private final Entry missingDefault;
    private final Set<String> replaced;

    private ReleaseCatalog(List<Entry> entries, RollbackJournal.Entry finishedRollback, Entry missingDefault,
            Set<String> replaced) {
        this.entries = List.copyOf(entries);
        this.finishedRollback = finishedRollback;
        this.missingDefault = missingDefault;
        this.replaced = replaced;
    }

    /** Newest first. */
    public List<Entry> entries() {
        return entries;
    }

    /** What {@code rollback} without {@code --to} goes back to, or {@code null}. */
    public Entry rollbackTarget() {
        return entries.stream().filter(Entry::rollbackTarget).findFirst().orElse(null);
    }

    /** The finished rollback production still rests on (so {@code rollback} without {@code --to} does nothing). */
    public RollbackJournal.Entry finishedRollback() {
        return finishedRollback;
    }

    /** The release the live one replaced, when it would be the default target but its folder is gone. */
    public Entry missingDefault() {
        return missingDefault;
    }

    /** The release of that name, or {@code null}. */
    public Entry find(String name) {
        return named(entries, name);
    }

    /** Whether a journal entry records the release as the one its deploy replaced: it was here once. */
    public boolean wasReplaced(String name) {
        return replaced.contains(name);
    }

    /** The releases whose folders exist, for messages: {@code r3 (live), r2, r1 (bad)}. */
    public String existing() {
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.missing()) {
                names.add(e.name() + (e.live() ? " (live)" : e.bad() ? " (bad)" : ""));
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** @param live what the production link points at now (the caller has listed it) */
    public static ReleaseCatalog read(Server server, SiteLayout layout, LiveRelease live) throws IOException {
        return read(server, layout, live, RollbackJournal.read(server, layout));
    }

    /**
     * @param live what the production link points at now (the caller has listed it)
     * @param lastRollback the server's rollback journal entry (the caller has read it), or {@code null}
     */
    public static ReleaseCatalog read(Server server, SiteLayout layout, LiveRelease live,
            RollbackJournal.Entry lastRollback) throws IOException {
        Set<String> bad = new AbandonedReleases(server, layout).names();
        List<JournalEntry> journal = new ArrayList<>(new Journal(server, layout).all());
        journal.sort(Comparator.comparing((JournalEntry e) -> e.switchedAt() == null ? Instant.EPOCH : e.switchedAt())
                .reversed());
        String liveName = live.releaseName();
        JournalEntry liveEntry = journal.stream().filter(e -> e.release().equals(liveName)).findFirst().orElse(null);
        List<Entry> out = new ArrayList<>();
        for (JournalEntry e : journal) {
            String path = e.releasePath() != null ? e.releasePath() : layout.releasePath(e.release());
            out.add(new Entry(e.release(), path, e.release().equals(liveName), bad.contains(e.release()), false,
                    e.switchedAt(), e.files(), e.bytes(), true, false));
        }
        if (liveName != null && liveEntry == null) {
            out.add(0, new Entry(liveName, live.releasePath(), true, bad.contains(liveName), false, null, -1, -1,
                    false, false));
        }
        String before = liveEntry == null ? null : liveEntry.previousRelease();
        if (before != null && out.stream().noneMatch(e -> e.name().equals(before))) {
            String path = liveEntry.previousPath() != null ? liveEntry.previousPath() : layout.releasePath(before);
            // just below the live release, which a rollback leaves below newer ones
            int below = out.indexOf(named(out, liveName)) + 1;
            out.add(below, new Entry(before, path, false, bad.contains(before), false, null, -1, -1, false, false));
        }
        boolean[] exists = folders(server, layout, out.stream().map(Entry::path).toList());
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < out.size(); i++) {
            if (!exists[i] && !out.get(i).live()) {
                missing.add(out.get(i).name());
            }
        }

        RollbackJournal.Entry settled = lastRollback != null && lastRollback.settled(liveName, journal)
                ? lastRollback
                : null;
        String target = null;
        String missingDefault = null;
        if (settled == null && before != null && !bad.contains(before)) {
            target = missing.contains(before) ? null : before;
            missingDefault = missing.contains(before) ? before : null;
        } else if (settled == null) {
            for (JournalEntry e : journal) { // newest first
                String name = e.release();
                if (target == null && e.switchedAt() != null && !name.equals(liveName) && !bad.contains(name)
                        && !missing.contains(name)) {
                    target = name;
                }
            }
        }
        List<Entry> flagged = new ArrayList<>();
        for (Entry e : out) {
            flagged.add(new Entry(e.name(), e.path(), e.live(), e.bad(), e.name().equals(target), e.deployedAt(),
                    e.files(), e.bytes(), e.createdByTool(), missing.contains(e.name())));
        }
        Set<String> replaced = new HashSet<>();
        journal.forEach(e -> replaced.add(e.previousRelease()));
        return new ReleaseCatalog(flagged, settled, missingDefault == null ? null : named(flagged, missingDefault),
                replaced);
    }

    /** Whether a folder exists on the server. */
    public static boolean isFolder(Server server, SiteLayout layout, String path) throws IOException {
        return folders(server, layout, List.of(path))[0];
    }

    private static Entry named(List<Entry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    /** Which of the paths are folders, in one command: the paths go NUL-separated on its input. */
    private static boolean[] folders(Server server, SiteLayout layout, List<String> paths) throws IOException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (String p : paths) {
            input.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            input.write(0);
        }
        Server.Result r = server.run("xargs -0 -r sh -c 'for p in \"$@\"; do if [ -d \"$p\" ]; then printf y;"
                + " else printf n; fi; done' sh", input.toByteArray());
        String answer = r.out();
        if (!r.ok() || answer.length() != paths.size()) {
            throw new DeployException("checking which release folders exist on " + layout.host() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr() + "; the account needs a POSIX shell with xargs");
        }
        boolean[] exists = new boolean[paths.size()];
        for (int i = 0; i < exists.length; i++) {
            exists[i] = answer.charAt(i) == 'y';
        }
        return exists;
    }
}
