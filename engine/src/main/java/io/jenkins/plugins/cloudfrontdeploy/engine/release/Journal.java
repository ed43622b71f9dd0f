package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.NulRecords;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Fence;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.ShellScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal on one server: a small JSON file per release under {@code .cloudfront-deploy/releases/}, rewritten
 * atomically after each step, so a deploy that dies anywhere can be resumed from what the server says is done. Writes
 * are fenced by the deploy lock: a deploy whose lock was broken cannot rewrite the journal (nor, as batches are
 * journaled before they are sent, invalidate).
 */
public final class Journal {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Server server;
    private final SiteLayout layout;
    private final Fence fence;

    /** A journal to read. */
    public Journal(Server server, SiteLayout layout) {
        this(server, layout, Fence.NONE);
    }

    /** A journal whose writes the server makes only while {@code fence} (the deploy lock) holds. */
    public Journal(Server server, SiteLayout layout, Fence fence) {
        this.server = server;
        this.layout = layout;
        this.fence = fence;
    }

    /** The entry of a release, or {@code null} when this tool never started deploying it here. */
    public JournalEntry read(String release) throws IOException {
        Server.Result r = server.run(ShellScripts.readFileIfExists(layout.journalPath(release)), new byte[0]);
        check(r, "reading the journal of " + release);
        return r.stdout().length == 0 ? null : parse(r.stdout(), release);
    }

    public void write(JournalEntry entry) throws IOException {
        byte[] json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry);
        Server.Result r = server.run(fence.guard() + ShellScripts.writeFile(layout.journalPath(entry.release()),
                json.length), json);
        fence.check(r);
        check(r, "writing the journal of " + entry.release());
    }

    /** Every release this tool created here, in no particular order. */
    public List<JournalEntry> all() throws IOException {
        Server.Result r = server.run(ShellScripts.readFiles(layout.journalDir(), ".json"), new byte[0]);
        check(r, "reading the journal");
        List<JournalEntry> entries = new ArrayList<>();
        String[] name = {null};
        NulRecords records = NulRecords.nul(record -> { // name, then document, NUL-terminated each
            if (name[0] == null) {
                name[0] = new String(record, StandardCharsets.UTF_8);
            } else {
                entries.add(parse(record, name[0]));
                name[0] = null;
            }
        });
        records.write(r.stdout());
        records.finish();
        return entries;
    }

    private JournalEntry parse(byte[] json, String what) {
        try {
            return MAPPER.readValue(json, JournalEntry.class);
        } catch (IOException e) {
            throw new DeployException("the journal entry " + what + " in " + layout.journalDir() + " on "
                    + layout.host() + " is not valid JSON (" + e.getMessage() + "); repair or delete it", e);
        }
    }

    private void check(Server.Result r, String what) {
        if (!r.ok()) {
            throw new DeployException(what + " in " + layout.stateDir() + " on " + layout.host() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr() + "; the user needs write access to the site root");
        }
    }
}
