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

    private ReleaseCatalog() {}

    /** @param live what the production link points at now (the caller has listed it) */
    public static List<Entry> read(Server server, SiteLayout layout, LiveRelease live) throws IOException {
        Set<String> bad = new AbandonedReleases(server, layout).names();
        List<JournalEntry> journal = new ArrayList<>(new Journal(server, layout).all());
        journal.sort(Comparator.comparing((JournalEntry e) -> e.switchedAt() == null ? Instant.EPOCH : e.switchedAt())
                .reversed());
        String liveName = live.releaseName();
        JournalEntry liveEntry = journal.stream().filter(e -> e.release().equals(liveName)).findFirst().orElse(null);
        // the default rollback target: what was live before the live release, else the newest good one
        String target = liveEntry != null && liveEntry.previousRelease() != null
                        && !bad.contains(liveEntry.previousRelease())
                ? liveEntry.previousRelease()
                : null;
        for (JournalEntry e : journal) {
            if (target == null && e.switchedAt() != null && !e.release().equals(liveName)
                    && !bad.contains(e.release())) {
                target = e.release();
            }
        }
        List<Entry> out = new ArrayList<>();
        for (JournalEntry e : journal) {
            out.add(new Entry(e.release(), e.releasePath(), e.release().equals(liveName), bad.contains(e.release()),
                    e.release().equals(target), e.switchedAt(), e.files(), e.bytes(), true));
        }
        if (liveName != null && liveEntry == null) {
            out.add(0, new Entry(liveName, live.releasePath(), true, bad.contains(liveName), false, null, -1, -1,
                    false));
        }
        String before = liveEntry == null ? null : liveEntry.previousRelease();
        if (before != null && out.stream().noneMatch(e -> e.name().equals(before))) {
            out.add(1, new Entry(before, liveEntry.previousPath(), false, bad.contains(before),
                    before.equals(target), null, -1, -1, false));
        }
        return out;
    }
}
