package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.ShellScripts;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The last rollback on a server, in {@code .cloudfront-deploy/rollback.json}: written before the switch, given its
 * invalidation batches before they are sent, and marked done at the end. A rollback run again after it died past the
 * switch finds it unfinished and completes its invalidation under the same caller references, so the paths it
 * switched back are neither lost nor billed twice; run again after it finished, it finds production still resting
 * on it and does nothing.
 */
public final class RollbackJournal {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param startedAt when the rollback began: part of its caller references, so a later rollback between the same
     *     releases is a new invalidation
     * @param finishedAt when it was marked done ({@code null} before, and in journals written before it was kept)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Entry(String from, String fromPath, String to, String startedAt,
            List<InvalidationRecord> invalidations, boolean done, String finishedAt) {
        public Entry {
            invalidations = invalidations == null ? List.of() : List.copyOf(invalidations);
        }

        public static Entry start(String from, String fromPath, String to) {
            return new Entry(from, fromPath, to, Instant.now().toString(), List.of(), false, null);
        }

        public Entry withInvalidations(List<InvalidationRecord> records) {
            return new Entry(from, fromPath, to, startedAt, records, done, finishedAt);
        }

        public Entry finished() {
            return new Entry(from, fromPath, to, startedAt, invalidations, true, Instant.now().toString());
        }

        /**
         * Whether production still rests on this rollback: it finished, its target is live, and no release was
         * switched to since it began. Then the same rollback run again has nothing to do; after a deploy it is an
         * ordinary rollback again.
         *
         * @param journal every release's journal entry on the server
         */
        public boolean settled(String liveRelease, Collection<JournalEntry> journal) {
            if (!done || !to.equals(liveRelease) || startedAt == null) {
                return false;
            }
            Instant began = Instant.parse(startedAt);
            return journal.stream().map(JournalEntry::switchedAt).noneMatch(at -> at != null && at.isAfter(began));
        }

        /** "finished at TIME", for messages. */
        public String whenFinished() {
            return finishedAt == null ? "finished" : "finished at " + finishedAt;
        }

        /** Names the rollback for its caller references. */
        public String operation() {
            return "rollback " + from + " to " + to + " at " + startedAt;
        }
    }

    private RollbackJournal() {}

    public static String path(SiteLayout layout) {
        return layout.stateDir() + "/rollback.json";
    }

    /** The last rollback, or {@code null} when there was none. */
    public static Entry read(Server server, SiteLayout layout) throws IOException {
        Server.Result r = server.run(ShellScripts.readFileIfExists(path(layout)), new byte[0]);
        check(r, layout, "reading");
        if (r.stdout().length == 0) {
            return null;
        }
        try {
            return MAPPER.readValue(r.stdout(), Entry.class);
        } catch (IOException e) {
            throw new DeployException(path(layout) + " on " + layout.host() + " is not valid JSON (" + e.getMessage()
                    + "); delete it if no rollback is half done", e);
        }
    }

    public static void write(Server server, SiteLayout layout, Entry entry) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(entry);
        check(server.run(ShellScripts.writeFile(path(layout), json.length), json), layout, "writing");
    }

    private static void check(Server.Result r, SiteLayout layout, String what) {
        if (!r.ok()) {
            throw new DeployException(what + " " + path(layout) + " on " + layout.host() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr() + "; the user needs write access to the site root");
        }
    }
}
