package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LiveRelease;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The releases on one server, newest first: those this tool deployed (from the journal) and the live one whatever
 * made it, each marked live, bad (rolled back from) or the default rollback target.
 *
 * <p>The default target is the release the live one replaced; if that one is bad or not recorded, the newest good
 * release. There is none when production still rests on a finished rollback (running it again does nothing).
 */
public final class ReleaseCatalog {
    /**
     * One release.
     *
     * @param deployedAt when production was switched to it, {@code null} if never (or not by this tool)
     * @param files files and links in it as deployed, -1 when not known
     * @param createdByTool whether this tool made the folder (only those are ever deleted)
     * @param rollbackTarget whether {@code rollback} without {@code --to} would choose it
     */
    public record Entry(String name, String path, boolean live, boolean bad, boolean rollbackTarget,
            Instant deployedAt, long files, long bytes, boolean createdByTool) implements Serializable {}

    private final List<Entry> entries;
    private final RollbackJournal.Entry finishedRollback;

    private ReleaseCatalog(List<Entry> entries, RollbackJournal.Entry finishedRollback) {
        this.entries = List.copyOf(entries);
        this.finishedRollback = finishedRollback;
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

    /** The release of that name, or {@code null}. */
    public Entry find(String name) {
        return named(entries, name);
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
                    e.switchedAt(), e.files(), e.bytes(), true));
        }
        if (liveName != null && liveEntry == null) {
            out.add(0, new Entry(liveName, live.releasePath(), true, bad.contains(liveName), false, null, -1, -1,
                    false));
        }
        String before = liveEntry == null ? null : liveEntry.previousRelease();
        if (before != null && out.stream().noneMatch(e -> e.name().equals(before))) {
            String path = liveEntry.previousPath() != null ? liveEntry.previousPath() : layout.releasePath(before);
            out.add(1, new Entry(before, path, false, bad.contains(before), false, null, -1, -1, false));
        }
        RollbackJournal.Entry settled = lastRollback != null && lastRollback.settled(liveName, journal)
                ? lastRollback
                : null;
        String target = null;
        if (settled == null && before != null && !bad.contains(before)) {
            target = before;
        } else if (settled == null) {
            for (JournalEntry e : journal) { // newest first
                String name = e.release();
                if (target == null && e.switchedAt() != null && !name.equals(liveName) && !bad.contains(name)) {
                    target = name;
                }
            }
        }
        List<Entry> flagged = new ArrayList<>();
        for (Entry e : out) {
            flagged.add(new Entry(e.name(), e.path(), e.live(), e.bad(), e.name().equals(target), e.deployedAt(),
                    e.files(), e.bytes(), e.createdByTool()));
        }
        return new ReleaseCatalog(flagged, settled);
    }

    private static Entry named(List<Entry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }
}
