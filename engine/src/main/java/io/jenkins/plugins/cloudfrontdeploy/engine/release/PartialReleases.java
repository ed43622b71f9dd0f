package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LiveRelease;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes the release folders failed deploys left: those this tool created (a journal entry says so) whose deploy
 * never switched production to them, such as the partial copy of a deploy that ran out of space. It holds the deploy
 * lock meanwhile, so a deploy that is staging a release right now is waited for, never robbed of its folder; and it
 * never removes the live release (a deploy that died just after the switch has no "switched" step yet), the release
 * {@code rollback} would choose, or any release that was ever live (those are {@code --keep} retention's to delete).
 */
public final class PartialReleases {
    private PartialReleases() {}

    /** @return the releases removed, oldest first */
    public static List<String> prune(Server server, SiteLayout layout, Duration lockTimeout, boolean breakLock,
            ProgressListener listener, Vocabulary words) throws IOException {
        try (DeployLock lock = DeployLock.acquire(server, layout, "prune-partial", DeployLock.newToken(), lockTimeout,
                breakLock, listener, words)) {
            LiveRelease live = server.reader().list(ProgressListener.NONE).release();
            ReleaseCatalog catalog = ReleaseCatalog.read(server, layout, live);
            ReleaseCatalog.Entry target = catalog.rollbackTarget();
            List<JournalEntry> entries = new ArrayList<>(new Journal(server, layout).all());
            entries.sort(Comparator.comparing(e -> e.steps().getOrDefault(JournalEntry.STARTED, "")));
            List<String> removed = new ArrayList<>();
            for (JournalEntry e : entries) {
                String name = e.release();
                boolean keep = e.has(JournalEntry.SWITCHED) || name.equals(live.releaseName())
                        || (target != null && name.equals(target.name()));
                if (!keep) {
                    Retention.delete(server, layout, e, lock);
                    removed.add(name);
                    listener.info(layout.host() + ": removed " + e.releasePath() + ", the partial release " + name
                            + " (its deploy never made it live)");
                }
            }
            return removed;
        }
    }
}
