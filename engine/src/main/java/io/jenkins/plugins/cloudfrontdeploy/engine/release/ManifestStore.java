package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredHashes;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.ShellScripts;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The manifests stored on a server, one per release under {@code .cloudfront-deploy/manifests/}: read before a diff
 * so that unchanged files need not be hashed there again, written once a release is verified.
 *
 * <p>A new release's manifest is written as its predecessor's followed by the records that changed, copied on the
 * server, so a deploy sends the hashes of what it uploaded and not of the whole site; when superseded records would
 * make up more than half of the file, the whole manifest is written afresh instead.
 */
public final class ManifestStore {
    private ManifestStore() {}

    /**
     * The manifest stored for a release, or {@link StoredManifest#NONE} when there is none (a release this tool did
     * not deploy, or one deployed before manifests were stored). An unreadable one is reported and ignored: the
     * files are then hashed on the server, which is slower but exact.
     */
    public static StoredManifest read(ReleaseReader reader, SiteLayout layout, String release,
            ProgressListener listener) throws IOException {
        if (release == null || !ReleaseName.isValid(release)) {
            return StoredManifest.NONE;
        }
        byte[] bytes = reader.readFile(layout.manifestPath(release));
        if (bytes == null) {
            return StoredManifest.NONE;
        }
        try {
            return StoredManifest.parse(bytes);
        } catch (StoredManifest.Unreadable e) {
            unreadable(listener, layout, release, e);
            return StoredManifest.NONE;
        }
    }

    /**
     * The manifest stored for a release, to be read as it streams when a listing's hashes are looked up in it: for a
     * diff, which needs nothing else of it but its marks, and must not hold a big site's manifest whole. Unreadable
     * or absent, it gives no hash, as {@link #read}.
     *
     * @param trustHashes false to read only the marks (the files are then all hashed on the server)
     */
    public static Streamed streamed(ReleaseReader reader, SiteLayout layout, String release, boolean trustHashes,
            ProgressListener listener) {
        return new Streamed(reader, layout, release, trustHashes, listener);
    }

    /** See {@link #streamed}. */
    public static final class Streamed implements StoredHashes {
        private final ReleaseReader reader;
        private final SiteLayout layout;
        private final String release;
        private final boolean trustHashes;
        private final ProgressListener listener;
        private boolean empty = true;
        private Map<String, Integer> marks = Map.of();

        Streamed(ReleaseReader reader, SiteLayout layout, String release, boolean trustHashes,
                ProgressListener listener) {
            this.reader = reader;
            this.layout = layout;
            this.release = release;
            this.trustHashes = trustHashes;
            this.listener = listener;
        }

        @Override
        public int hashesInto(Manifest listed, java.util.BitSet candidate, Manifest.HashColumn column)
                throws IOException {
            if (release == null || !ReleaseName.isValid(release)) {
                return 0;
            }
            StoredManifest.Lookup lookup =
                    new StoredManifest.Lookup(listed, trustHashes ? candidate : new java.util.BitSet(), column);
            if (!reader.readFile(layout.manifestPath(release), lookup)) {
                return 0;
            }
            try {
                int found = lookup.finish();
                marks = lookup.marks();
                empty = !trustHashes || lookup.records() == 0;
                return found;
            } catch (StoredManifest.Unreadable e) {
                unreadable(listener, layout, release, e);
                return 0;
            }
        }

        @Override
        public boolean isEmpty() {
            return empty;
        }

        /** The marks of the manifest (see {@link StoredManifest#marks()}), once {@link #hashesInto} has read it. */
        public Map<String, Integer> marks() {
            return marks;
        }
    }

    private static void unreadable(ProgressListener listener, SiteLayout layout, String release,
            StoredManifest.Unreadable e) {
        listener.warning("the manifest stored for release " + release + " on " + layout.host() + " ("
                + layout.manifestPath(release) + ") is unreadable: " + e.getMessage() + "; hashing the release"
                + " on the server instead. The next deploy stores a new one");
    }

    /**
     * Stores the manifest of a verified release.
     *
     * @param verified the release as listed after staging (modification times) with the build's hashes
     * @param base the manifest read for {@code baseRelease}, the release this one was seeded from
     */
    public static void write(Server server, SiteLayout layout, String release, Manifest verified,
            String baseRelease, StoredManifest base) throws IOException {
        write(server, layout, release, verified, baseRelease, base, Map.of());
    }

    /**
     * As the other form, marking the paths the release holds only because they are kept after a build removed them.
     *
     * @param marks path ▶ age, as {@link StoredManifest#marks()}
     */
    public static void write(Server server, SiteLayout layout, String release, Manifest verified,
            String baseRelease, StoredManifest base, Map<String, Integer> marks) throws IOException {
        List<ManifestEntry> entries = verified.entries();
        if (!base.isEmpty() && baseRelease != null && !baseRelease.equals(release)) {
            List<ManifestEntry> changed = base.missing(entries);
            if (base.records() + changed.size() <= 2 * files(entries)
                    && append(server, layout, release, baseRelease, base.length(), changed, marks)) {
                return;
            }
        }
        byte[] encoded = StoredManifest.encode(entries, marks);
        check(server.run(ShellScripts.writeFile(layout.manifestPath(release), encoded.length), encoded), layout,
                release);
    }

    private static long files(List<ManifestEntry> entries) {
        return entries.stream().filter(e -> e.type() == EntryType.FILE).count();
    }

    /** Copies the base manifest on the server and adds the changed records; false if the base is not as read. */
    private static boolean append(Server server, SiteLayout layout, String release, String baseRelease,
            long baseLength, List<ManifestEntry> changed, Map<String, Integer> marks) throws IOException {
        String from = quote(layout.manifestPath(baseRelease));
        String to = layout.manifestPath(release);
        byte[] records = StoredManifest.encode(changed, marks);
        String tmp = quote(to + ".tmp");
        // whole or not at all, as ShellScripts.writeFile: input cut short must not become a shorter manifest
        String script = "[ -f " + from + " ] && [ $(wc -c < " + from + ") -eq " + baseLength + " ] || exit 3; "
                + "cat -- " + from + " - > " + tmp + " && [ $(wc -c < " + tmp + ") -eq "
                + (baseLength + records.length) + " ] && mv -f -- " + tmp + " " + quote(to) + " || { rm -f -- "
                + tmp + "; exit 1; }";
        Server.Result r = server.run(script, records);
        if (r.exitStatus() == 3) {
            return false;
        }
        check(r, layout, release);
        return true;
    }

    private static void check(Server.Result r, SiteLayout layout, String release) {
        if (!r.ok()) {
            throw new DeployException("storing the manifest of " + release + " in " + layout.stateDir() + " on "
                    + layout.host() + " failed (exit " + r.exitStatus() + "): " + r.stderr()
                    + "; the user needs write access to the site root");
        }
    }
}
