package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.ShellScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Releases a rollback went back from: bad, so neither a later rollback nor {@code releases} offers them as a good
 * target. One small file per release under {@code .cloudfront-deploy/abandoned/}, for releases this tool created and
 * for those it did not.
 */
public final class AbandonedReleases {
    private final Server server;
    private final SiteLayout layout;

    public AbandonedReleases(Server server, SiteLayout layout) {
        this.server = server;
        this.layout = layout;
    }

    private String dir() {
        return layout.stateDir() + "/abandoned";
    }

    public Set<String> names() throws IOException {
        Server.Result r = server.run("[ -d " + quote(dir()) + " ] || exit 0; cd -P -- " + quote(dir())
                + " && for f in *; do [ -f \"$f\" ] && printf '%s\\0' \"$f\"; done; exit 0", new byte[0]);
        check(r);
        Set<String> names = new TreeSet<>();
        for (String n : new String(r.stdout(), StandardCharsets.UTF_8).split("\0")) {
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return names;
    }

    public void mark(String release, String rolledBackTo) throws IOException {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("release", release);
        record.put("abandonedAt", Instant.now().toString());
        record.put("rolledBackTo", rolledBackTo);
        record.put("by", System.getProperty("user.name") + "@" + DeployLock.hostName());
        byte[] json = new ObjectMapper().writeValueAsBytes(record);
        check(server.run(ShellScripts.writeFile(dir() + "/" + ReleaseName.require(release), json.length), json));
    }

    private void check(Server.Result r) {
        if (!r.ok()) {
            throw new DeployException("recording bad releases in " + dir() + " on " + layout.host() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr());
        }
    }
}
