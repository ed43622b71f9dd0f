package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The build's symbolic links that lead outside it. A release is served by a web server that may follow links: a link
 * such as {@code passwd.txt -> /etc/passwd} or {@code etc -> ../../../../etc} would publish the server's own files.
 * Such links are refused before anything is written to a server, unless the user allows them; links that stay inside
 * the build are deployed as they are.
 *
 * <p>A link leaves the build when its target is absolute, or when resolving it from the link's folder, as the
 * server's kernel will in the release, climbs above the build's top. Links met on the way (inside the build) are
 * followed as the kernel would, so {@code up -> ..} at the top, or {@code x -> sub/up/../../etc} through a link
 * {@code sub/up -> ..}, is caught, though the text of the second alone stays inside.
 */
public final class ExternalLinks {
    /** How many links a message names before it gives the count of the rest. */
    static final int NAMED = 5;
    /** Links followed in one resolution before it is taken as a loop (Linux's own limit is 40). */
    private static final int MAX_HOPS = 40;

    /** A link of the build, by its path in the build and its target text. */
    public record Link(String path, String target) {
        @Override
        public String toString() {
            return RelativePaths.quoteForMessage(path) + " -> " + RelativePaths.quoteForMessage(target);
        }
    }

    private ExternalLinks() {}

    /**
     * Refuses the links of {@code walked} that leave the build, naming them and the option that allows them; with
     * {@code allow}, warns naming them instead.
     *
     * @param source the build folder as given (the walk's root: a link to a folder is that folder)
     */
    public static void check(Path source, List<ManifestEntry> walked, boolean allow, Vocabulary words,
            ProgressListener listener) throws IOException {
        List<Link> external = find(source, walked);
        if (external.isEmpty()) {
            return;
        }
        String which = external.size() + (external.size() == 1 ? " symbolic link that leads" : " symbolic links that"
                + " lead") + " outside the build: " + describe(external);
        if (allow) {
            listener.warning("deploying " + which + " (" + words.on(Vocabulary.Setting.ALLOW_EXTERNAL_LINKS)
                    + "); a web server that follows links serves what they point at");
            return;
        }
        throw new DeployException("the build holds " + which + "; a web server that follows links would serve what"
                + " they point at, so nothing was deployed. Replace them with the files themselves or with links"
                + " inside the build" + (words.offers(Vocabulary.Setting.ALLOW_EXTERNAL_LINKS) ? ", or give "
                        + words.on(Vocabulary.Setting.ALLOW_EXTERNAL_LINKS) + " to deploy them anyway" : ""));
    }

    /** The links of {@code walked} that leave the build, by path (a message names the same ones every run). */
    public static List<Link> find(Path source, List<ManifestEntry> walked) throws IOException {
        Path root = TreeWalker.root(source);
        List<Link> external = new ArrayList<>();
        for (ManifestEntry e : walked) {
            if (e.type() != EntryType.SYMLINK) {
                continue;
            }
            String target = Files.readSymbolicLink(root.resolve(e.path())).toString();
            List<String> at = new ArrayList<>(List.of(e.path().split("/")));
            at.remove(at.size() - 1); // the link's own folder
            if (leaves(root, at, target, new int[1])) {
                external.add(new Link(e.path(), target));
            }
        }
        external.sort(java.util.Comparator.comparing(Link::path));
        return external;
    }

    /** The first {@value #NAMED} links, and how many more there are. */
    static String describe(List<Link> links) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(NAMED, links.size()); i++) {
            s.append(i == 0 ? "" : ", ").append(links.get(i));
        }
        return s + (links.size() > NAMED ? " and " + (links.size() - NAMED) + " more" : "");
    }

    /**
     * Resolves {@code target} from the folder {@code at} (components below the root; changed to where it leads).
     * Whether it climbs above the root or is absolute, on the way or at the end.
     */
    private static boolean leaves(Path root, List<String> at, String target, int[] hops) throws IOException {
        if (target.startsWith("/")) {
            return true;
        }
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (at.isEmpty()) {
                    return true;
                }
                at.remove(at.size() - 1);
                continue;
            }
            at.add(c);
            Path here;
            try {
                here = root.resolve(String.join("/", at));
            } catch (InvalidPathException e) {
                continue; // a name this machine cannot hold is no link of the build: resolved as text
            }
            if (Files.isSymbolicLink(here)) {
                if (++hops[0] > MAX_HOPS) {
                    return false; // a loop: the server answers ELOOP and serves nothing through it
                }
                at.remove(at.size() - 1);
                if (leaves(root, at, Files.readSymbolicLink(here).toString(), hops)) {
                    return true;
                }
            }
        }
        return false;
    }
}
