package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.ShellScripts;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The path counts of invalidations already looked up for {@code --show-monthly-usage}, kept beside the journal in
 * {@code .cloudfront-deploy/invalidation-usage.json}: an invalidation never changes its paths, so each is fetched
 * once. Only an optimisation: a missing or unreadable cache is rebuilt.
 */
public final class UsageCache {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private UsageCache() {}

    public static String path(SiteLayout layout) {
        return layout.stateDir() + "/invalidation-usage.json";
    }

    /** distribution/id ▶ path count; empty when there is none yet. */
    public static Map<String, Integer> read(Server server, SiteLayout layout) throws IOException {
        Server.Result r = server.run(ShellScripts.readFileIfExists(path(layout)), new byte[0]);
        if (!r.ok() || r.stdout().length == 0) {
            return new HashMap<>();
        }
        try {
            return new HashMap<>(MAPPER.readValue(r.stdout(), new TypeReference<Map<String, Integer>>() {}));
        } catch (IOException e) {
            return new HashMap<>();
        }
    }

    public static void write(Server server, SiteLayout layout, Map<String, Integer> counts, ProgressListener listener)
            throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(new TreeMap<>(counts));
        Server.Result r = server.run(ShellScripts.writeFile(path(layout), json.length), json);
        if (!r.ok()) {
            listener.warning("could not keep the invalidation usage cache in " + path(layout) + " on "
                    + layout.host() + " (exit " + r.exitStatus() + "); the next count fetches it again");
        }
    }
}
