package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;

/**
 * Creates the new release folder and fills it with the live release at no transfer cost: {@code cp -al} hard-links
 * every file (the new folder costs only directory entries), and where hard links fail (another file system, a
 * file system without them) a real {@code cp -a} copy, said in a warning.
 */
final class Seeder {
    static final String HARD_LINKS = "hard links";
    static final String COPY = "copy";
    static final String EMPTY = "empty";

    private Seeder() {}

    /**
     * @param livePath the live release's folder, or {@code null} on a first deploy
     * @return how the folder was seeded: {@link #HARD_LINKS}, {@link #COPY} or {@link #EMPTY}
     */
    static String seed(Server server, SiteLayout layout, String release, String livePath, ProgressListener listener)
            throws IOException {
        String r = layout.releasePath(release);
        StringBuilder script = new StringBuilder()
                .append("r=").append(quote(r)).append("; ")
                .append("[ -e \"$r\" ] || [ -L \"$r\" ] && exit 3; ")
                .append("mkdir -p -- ").append(quote(layout.releasesDir())).append(" && mkdir -m 755 -- \"$r\" || exit 2; ");
        if (livePath == null) {
            script.append("printf empty");
        } else {
            script.append("l=").append(quote(livePath)).append("; ")
                    .append("if e=$(cp -al -- \"$l/.\" \"$r/\" 2>&1); then printf 'hard links'; else ")
                    .append("rm -rf -- \"$r\" && mkdir -m 755 -- \"$r\" && cp -a -- \"$l/.\" \"$r/\" || exit 4; ")
                    .append("printf 'copy\\n%s' \"$e\"; fi");
        }
        Server.Result result = server.run(script.toString(), new byte[0]);
        switch (result.exitStatus()) {
            case 0 -> { }
            case 3 -> throw new DeployException("the release folder " + r + " already exists on " + layout.host()
                    + " and was not started by this tool; a release is never overwritten: choose another release"
                    + " name");
            default -> throw new DeployException("creating the release folder " + r + " on " + layout.host()
                    + " failed (exit " + result.exitStatus() + "): " + result.stderr() + "; check free space and"
                    + " that the user can write to " + layout.releasesDir());
        }
        String out = result.out();
        if (out.startsWith(COPY)) {
            listener.warning("hard links from " + livePath + " to " + r + " on " + layout.host() + " failed ("
                    + out.substring(COPY.length()).strip().lines().findFirst().orElse("") + "): the live release was"
                    + " copied instead, which takes its full size in disk space");
            return COPY;
        }
        return out.startsWith(HARD_LINKS) ? HARD_LINKS : EMPTY;
    }
}
