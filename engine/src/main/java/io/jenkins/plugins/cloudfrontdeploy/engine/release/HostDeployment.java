package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Differ;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LiveRelease;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseContent;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.RemoteListing;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One server's part of a deploy, step by step: {@link #lock}, {@link #inspect} (journal, live release), {@link #hash},
 * {@link #stage}, {@link #verify}, {@link #switchLink}, {@link #retain}. The journal decides where a re-run of the
 * same release resumes: a verified release is not staged again, a switched one is not switched again, and the diff
 * reported is always against the release that was live before this release's first attempt.
 */
public final class HostDeployment implements AutoCloseable {
    /** Where this server's deploy of the release stands. */
    public enum Resume {
        /** Nothing done yet. */
        FRESH,
        /** Staging began but was not verified: the folder is repaired in place. */
        RESTAGE,
        /** Staged and verified: only the switch is left. */
        SWITCH,
        /** Already switched: nothing to do but report. */
        DONE
    }

    private final Server server;
    private final SiteLayout layout;
    private final String release;
    private final Journal journal;
    private DeployLock lock;
    private ProgressListener lockListener = ProgressListener.NONE;
    private Resume resume;
    private JournalEntry entry;
    private RemoteListing previous;
    private StoredManifest previousStored = StoredManifest.NONE;
    private Manifest previousContent;
    private Manifest folderContent;
    private ChangeSet changes;
    private ChangeSet toApply;
    private String seed = "none";
    private long bytesUploaded;
    private long filesUploaded;
    private String state = "not switched";
    private List<String> deleted = List.of();

    public HostDeployment(Server server, SiteLayout layout, String release) {
        this.server = server;
        this.layout = layout;
        this.release = release;
        this.journal = new Journal(server, layout);
    }

    /** Takes this server's deploy lock, waiting for another deploy to finish. */
    public void lock(Duration lockTimeout, boolean breakLock, ProgressListener listener) throws IOException {
        lock = DeployLock.acquire(server, layout, release, lockTimeout, breakLock, listener);
        lockListener = listener;
    }

    /** Reads the journal and lists the live release: decides where this server's deploy starts. */
    public void inspect(ProgressListener listener) throws IOException {
        entry = journal.read(release);
        RemoteListing live = server.reader().list(listener);
        if (live.release().state() == LiveRelease.State.DIRECTORY) {
            String name = layout.linkPath().substring(layout.linkPath().lastIndexOf('/') + 1);
            throw new DeployException(server.target() + " is a folder, not a symbolic link, so it cannot be"
                    + " switched atomically; make it a release once, on the server: cd " + quote(layout.siteRoot())
                    + " && mv " + quote(name) + " initial && ln -s initial " + quote(name));
        }
        boolean folderExists = exists(layout.releasePath(release));
        if (entry == null) {
            if (folderExists) {
                throw new DeployException("the release folder " + layout.releasePath(release) + " already exists on "
                        + layout.host() + " and this tool did not create it; a release is never overwritten:"
                        + " choose another release name");
            }
            resume = Resume.FRESH;
            previous = live;
        } else if (entry.has(JournalEntry.SWITCHED)) {
            if (!release.equals(live.release().releaseName())) {
                throw new DeployException("release " + release + " was already deployed to " + layout.host() + " ("
                        + entry.steps().get(JournalEntry.SWITCHED) + ") and is no longer live; choose a new release"
                        + " name, or go back to it with: cloudfront-deploy rollback --to " + release);
            }
            resume = Resume.DONE;
            previous = entry.previousPath() == null
                    ? new RemoteListing(LiveRelease.absent(), List.of())
                    : server.reader().listFolder(entry.previousPath(), listener);
            listener.info(layout.host() + ": release " + release + " is already live (a previous run switched it);"
                    + " reporting its changes against " + entry.previousRelease());
        } else if (entry.has(JournalEntry.VERIFIED) && folderExists) {
            resume = Resume.SWITCH;
            previous = live;
            listener.info(layout.host() + ": release " + release + " was staged and verified by a previous run;"
                    + " resuming at the switch");
        } else {
            resume = folderExists ? Resume.RESTAGE : Resume.FRESH;
            previous = live;
            if (folderExists) {
                listener.info(layout.host() + ": resuming the staging of release " + release
                        + " left unfinished by a previous run");
            }
        }
    }

    private boolean exists(String path) throws IOException {
        Server.Result r = server.run("[ -e " + quote(path) + " ] || [ -L " + quote(path) + " ]", new byte[0]);
        return r.ok();
    }

    /**
     * Hashes what this server needs compared: the previous release, and on a resumed staging the half-staged folder.
     * Runs while the build is hashed.
     *
     * @param verifyRemote hash on the server even where the manifest stored with the previous release is current
     */
    public void hash(List<ManifestEntry> build, boolean verifyRemote, ProgressListener listener) throws IOException {
        // read even when not trusted: the new release's manifest is written as this one plus what differs
        previousStored = ManifestStore.read(server.reader(), layout, previousRelease(), listener);
        StoredManifest trusted = verifyRemote ? StoredManifest.NONE : previousStored;
        previousContent = ReleaseContent.hashed(server.reader(), previous, build, trusted, listener);
        // a half-staged folder's untouched files are hard links to the previous release's: same size, same mtime
        folderContent = resume == Resume.RESTAGE
                ? ReleaseContent.hashed(server.reader(),
                        server.reader().listFolder(layout.releasePath(release), listener), build, trusted, listener)
                : previousContent; // a fresh folder is seeded from the previous release
    }

    /** Diffs the build against what was live and, for staging, against what the release folder holds now. */
    public void diff(Manifest build) {
        changes = Differ.diff(previousContent, build);
        toApply = resume == Resume.FRESH || resume == Resume.RESTAGE ? Differ.diff(folderContent, build) : null;
    }

    public void stage(Path source, Manifest build, ProgressListener listener) throws IOException {
        if (resume == Resume.FRESH) {
            LiveRelease live = previous.release();
            entry = JournalEntry.start(release, layout.releasePath(release), live.releaseName(), live.releasePath(),
                    System.getProperty("user.name") + "@" + DeployLock.hostName(), build.contentCount(),
                    build.totalBytes());
            journal.write(entry);
            seed = Seeder.seed(server, layout, release, live.releasePath(), listener);
            entry = entry.withSeed(seed);
        }
        if (resume == Resume.FRESH || resume == Resume.RESTAGE) {
            bytesUploaded = Stager.apply(server, layout.releasePath(release), toApply, source, listener);
            filesUploaded = uploaded().size();
            entry = entry.with(JournalEntry.STAGED);
            journal.write(entry);
        }
    }

    private Set<String> uploaded() {
        Set<String> paths = new HashSet<>();
        if (toApply != null) {
            for (Change c : toApply.all()) {
                if (c.after() != null && c.after().type() == EntryType.FILE) {
                    paths.add(c.path());
                }
            }
        }
        return paths;
    }

    public void verify(Manifest build, ProgressListener listener) throws IOException {
        if (resume == Resume.DONE) {
            return;
        }
        Manifest verified = Verifier.verify(server, layout.releasePath(release), build, uploaded(), listener);
        // stored before the journal says verified: a resumed switch finds it in place
        ManifestStore.write(server, layout, release, verified, previousRelease(), previousStored);
        if (!entry.has(JournalEntry.VERIFIED)) {
            entry = entry.with(JournalEntry.VERIFIED);
            journal.write(entry);
        }
    }

    /** Points production at the new release; afterwards the journal says so. */
    public void switchLink() throws IOException {
        if (resume == Resume.DONE) {
            state = "already switched by a previous run";
            return;
        }
        try {
            server.replaceLink(layout.linkPath(), layout.linkText(release));
        } catch (IOException | RuntimeException e) {
            state = "switch failed, production still on " + previousRelease() + ": " + e.getMessage();
            throw e;
        }
        state = "switched";
        entry = entry.with(JournalEntry.SWITCHED);
        journal.write(entry);
    }

    /** The CloudFront batches this release's deploy recorded here (by an earlier run, or this one). */
    public List<InvalidationRecord> invalidations() {
        return entry == null ? List.of() : entry.invalidations();
    }

    /** Records the batches before they are sent or awaited, so a re-run neither loses nor repeats one. */
    public void recordInvalidations(List<InvalidationRecord> records) throws IOException {
        entry = entry.withInvalidations(records);
        journal.write(entry);
    }

    public void retain(int keep, ProgressListener listener) throws IOException {
        deleted = Retention.apply(server, layout, journal, keep, release, previousRelease(), listener);
    }

    public Resume resume() {
        return resume;
    }

    public ChangeSet changes() {
        return changes;
    }

    public String previousRelease() {
        return previous.release().releaseName();
    }

    public Server server() {
        return server;
    }

    public SiteLayout layout() {
        return layout;
    }

    public String seed() {
        return seed;
    }

    public long bytesUploaded() {
        return bytesUploaded;
    }

    public long filesUploaded() {
        return filesUploaded;
    }

    public String state() {
        return state;
    }

    public void state(String state) {
        this.state = state;
    }

    public List<String> deleted() {
        return deleted;
    }

    /** Releases the lock (if taken) and the connection. */
    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.close();
            }
        } catch (IOException | RuntimeException e) {
            lockListener.warning("the deploy lock " + layout.lockPath() + " on " + layout.host() + " could not be"
                    + " released (" + e.getMessage() + "); once you are sure no deploy is running there, run the"
                    + " next one with --break-lock");
        } finally {
            server.close();
        }
    }
}
