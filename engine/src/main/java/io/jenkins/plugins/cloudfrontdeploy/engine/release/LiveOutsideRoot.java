package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LiveRelease;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a production link that leads outside the site root (and the releases folder): {@code production ->
 * /srv/elsewhere} or {@code production -> ../other}. A deploy seeds the new release from the live one by hard
 * links, so that folder's files, whatever they are, would be linked into the release and published; and it is no
 * release this tool could roll back to or tidy. There is no option to accept it: making it a release once, in the
 * site root, is one command, which the message gives.
 */
final class LiveOutsideRoot {
    private LiveOutsideRoot() {}

    static void refuse(Server server, SiteLayout layout, LiveRelease live) throws IOException {
        String path = live.releasePath(); // physical: every link on the way followed
        if (live.state() != LiveRelease.State.LINK || path == null) {
            return;
        }
        String parent = parent(path);
        if (parent.equals(layout.siteRoot()) || parent.equals(layout.releasesDir())) {
            return; // the common case, said without asking the server
        }
        // the site root itself may be reached through links (/var/www -> /data/www): compare physical paths
        Server.Result r = server.run("(cd -P -- " + quote(layout.siteRoot()) + " && printf '%s\\0' \"$PWD\");"
                + " (cd -P -- " + quote(layout.releasesDir()) + " 2>/dev/null && printf '%s\\0' \"$PWD\") || :",
                new byte[0]);
        String[] physical = new String(r.stdout(), StandardCharsets.UTF_8).split("\0");
        for (String folder : physical) {
            if (!folder.isEmpty() && folder.equals(parent)) {
                return;
            }
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        boolean ownFolder = !layout.releasesDir().equals(layout.siteRoot());
        throw new DeployException("the production link " + layout.linkPath() + " on " + layout.host()
                + " points at " + path + (path.equals(live.linkText()) ? "" : " (its text is " + live.linkText() + ")")
                + ", outside the site root " + layout.siteRoot() + (ownFolder ? " and the releases folder "
                        + layout.releasesDir() : "") + "; a deploy seeds the new release from the live one and would"
                + " hard-link that folder's files into it, so nothing was changed. Make the live site a release"
                + " there once, on the server: cp -a " + word(path) + " " + word(layout.releasePath(name))
                + " && ln -sfn " + word(layout.linkText(name)) + " " + word(layout.linkPath())
                + " (or point production at a release folder in " + layout.releasesDir() + "), then run again");
    }

    /** Quoted only where a shell would change it, so that the line reads plainly and can be pasted. */
    private static String word(String s) {
        return s.matches("[A-Za-z0-9_@%+=:,./-]+") ? s : quote(s);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
