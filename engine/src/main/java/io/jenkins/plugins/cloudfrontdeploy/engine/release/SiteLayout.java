package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.Serializable;

/**
 * Where things are on one server: the production link (the target), the releases beside it (or in a folder of
 * their own) and the tool's own state under {@code .cloudfront-deploy/} in the site root.
 *
 * <pre>
 * /var/www/mysite/              site root = parent of the link
 *   1.0.3/  1.0.4/              releases (default: siblings of the link)
 *   production -&gt; 1.0.4        the target
 *   .cloudfront-deploy/
 *     lock/                     present while a deploy runs (owner inside)
 *     releases/NAME.json        the journal of each release this tool created
 *     manifests/NAME            the manifest stored when NAME was deployed
 * </pre>
 */
public record SiteLayout(SshTarget target, String releasesDir) implements Serializable {
    public static final String STATE_DIR = ".cloudfront-deploy";

    /** @param releasesDir an absolute folder for the releases, or {@code null} for the site root */
    public static SiteLayout of(SshTarget target, String releasesDir) {
        String dir = releasesDir == null || releasesDir.isEmpty() ? target.parent() : normalize(releasesDir);
        return new SiteLayout(target, dir);
    }

    private static String normalize(String dir) {
        String d = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        boolean bad = !d.startsWith("/") || d.equals("/") || d.contains("//") || d.chars().anyMatch(c -> c < 0x20)
                || ("/" + d + "/").contains("/../") || ("/" + d + "/").contains("/./");
        if (bad) {
            throw new DeployException("the releases folder '" + dir.replaceAll("\\p{Cntrl}", "?") + "' is not valid:"
                    + " give an absolute path such as /var/www/mysite/releases (no '.', '..' or empty segments)");
        }
        return d;
    }

    public String linkPath() {
        return target.path();
    }

    public String siteRoot() {
        return target.parent();
    }

    public String stateDir() {
        return siteRoot() + "/" + STATE_DIR;
    }

    public String releasePath(String name) {
        return releasesDir + "/" + name;
    }

    /** What the link holds for a release: its bare name beside the link (as the seed's layout), else its path. */
    public String linkText(String name) {
        return releasesDir.equals(siteRoot()) ? name : releasePath(name);
    }

    public String journalPath(String name) {
        return stateDir() + "/releases/" + name + ".json";
    }

    public String journalDir() {
        return stateDir() + "/releases";
    }

    public String manifestPath(String name) {
        return stateDir() + "/manifests/" + name;
    }

    public String lockPath() {
        return stateDir() + "/lock";
    }

    /** The host for messages: {@code host:port}, or {@code local}. */
    public String host() {
        return target.isLocal() ? "local" : target.hostAndPort();
    }
}
