package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.ShellScripts;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a seeded release folder into the new build: removes what the build no longer has and every file about to be
 * replaced (unlinking a hard link leaves the live release's inode alone: nothing is ever written through it), creates
 * folders and links, then uploads the added and modified files, each under a temporary name renamed into place.
 */
final class Stager {
    private Stager() {}

    /**
     * @param changes from what the folder holds now to the build
     * @return file bytes sent
     */
    static long apply(Server server, String releasePath, ChangeSet changes, Path source, ProgressListener listener)
            throws IOException {
        return apply(server, releasePath, changes, source, Set.of(), null, listener);
    }

    /**
     * @param changes from what the folder holds now to the build and the kept files
     * @param kept files kept from the previous release: never in the build, so hard-linked from there when missing
     *     (a resumed folder an earlier attempt staged without them)
     * @param previousPath the previous release's folder
     * @return file bytes sent
     */
    static long apply(Server server, String releasePath, ChangeSet changes, Path source, Set<String> kept,
            String previousPath, ProgressListener listener) throws IOException {
        List<String> remove = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        ByteArrayOutputStream links = new ByteArrayOutputStream();
        List<ManifestEntry> uploads = new ArrayList<>();
        List<String> restore = new ArrayList<>();
        for (Change c : changes.all()) {
            ManifestEntry after = c.after();
            if (c.kind() != ChangeKind.ADDED) {
                remove.add(c.path()); // removed, or about to be replaced: unlink, never overwrite in place
            }
            if (after == null) {
                continue;
            }
            switch (after.type()) {
                case DIRECTORY -> folders.add(c.path());
                case SYMLINK -> {
                    nul(links, Files.readSymbolicLink(source.resolve(c.path())).toString());
                    nul(links, c.path());
                }
                case FILE -> {
                    if (kept.contains(c.path())) {
                        restore.add(c.path());
                    } else {
                        uploads.add(after);
                    }
                }
            }
        }
        run(server, releasePath, "rm -rf --", nul(remove), "removing replaced and deleted files");
        run(server, releasePath, "mkdir -p -m 755 --", nul(folders), "creating folders");
        // the relative name is joined to the quoted folder by sh, never spliced into the script
        run(server, releasePath, "-n 1 sh -c 'cp -pl -- \"$1/$2\" \"$2\" 2>/dev/null || cp -p -- \"$1/$2\" \"$2\"' sh "
                + ShellQuote.quote(previousPath == null ? "/nonexistent" : previousPath), nul(restore),
                "keeping removed files");
        run(server, releasePath, "-n 2 sh -c 'ln -s -- \"$1\" \"$2\"' sh", links.toByteArray(), "creating links");
        return server.upload(source, releasePath, uploads, listener);
    }

    private static void run(Server server, String releasePath, String command, byte[] names, String what)
            throws IOException {
        if (names.length == 0) {
            return;
        }
        Server.Result r = server.run(ShellScripts.inFolder(releasePath, command), names);
        if (!r.ok()) {
            throw new DeployException(what + " in " + releasePath + " on " + server.target() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr());
        }
    }

    private static byte[] nul(List<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        names.forEach(n -> nul(out, n));
        return out.toByteArray();
    }

    private static void nul(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
