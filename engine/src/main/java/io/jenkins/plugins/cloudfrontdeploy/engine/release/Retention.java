package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Fence;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the newest {@code keep} releases this tool created on a server and deletes the older ones. Only folders with
 * a journal entry are candidates (a folder someone else made is never touched), and never the live release nor the
 * one before it, whatever their age. Each deletion is fenced by the deploy lock: a deploy whose lock was broken deletes
 * nothing.
 */
final class Retention {
    private Retention() {}

    /** @return the names of the releases deleted, oldest first */
    static List<String> apply(Server server, SiteLayout layout, Journal journal, int keep, String live,
            String previous, Fence fence, ProgressListener listener) throws IOException {
        List<JournalEntry> entries = new ArrayList<>(journal.all());
        entries.sort(Comparator.comparing(Retention::age).reversed());
        List<String> deleted = new ArrayList<>();
        int kept = 0;
        for (JournalEntry e : entries) {
            boolean protectedRelease = e.release().equals(live) || e.release().equals(previous);
            if (protectedRelease || kept < keep) {
                kept++;
                continue;
            }
            delete(server, layout, e, fence);
            deleted.add(0, e.release());
        }
        if (!deleted.isEmpty()) {
            listener.stageFinished(Stage.CLEANUP, layout.host() + ": deleted " + deleted.size() + " old release"
                    + (deleted.size() == 1 ? "" : "s") + " (" + String.join(", ", deleted) + "), keeping " + keep);
        }
        return deleted;
    }

    /** When a release became live, or when its deploy started if it never did. */
    private static Instant age(JournalEntry e) {
        String at = e.steps().getOrDefault(JournalEntry.SWITCHED, e.steps().get(JournalEntry.STARTED));
        return at == null ? Instant.EPOCH : Instant.parse(at);
    }

    static void delete(Server server, SiteLayout layout, JournalEntry e, Fence fence) throws IOException {
        String name = ReleaseName.require(e.release());
        String path = e.releasePath();
        // the journal says where the tool created the folder; refuse anything else it might have been edited to say
        if (path == null || !path.startsWith("/") || !path.endsWith("/" + name) || path.contains("/../")) {
            throw new DeployException("the journal entry of " + name + " on " + layout.host() + " names the folder '"
                    + path + "', which is not a release folder; fix or delete " + layout.journalPath(name));
        }
        Server.Result r = server.run(fence.guard() + "rm -rf -- " + quote(path) + " && rm -f -- "
                + quote(layout.manifestPath(name)) + " " + quote(layout.journalPath(name)), new byte[0]);
        fence.check(r);
        if (!r.ok()) {
            throw new DeployException("deleting the old release " + path + " on " + layout.host() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr());
        }
    }
}
