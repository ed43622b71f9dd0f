package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Differ;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LiveRelease;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseContent;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.RemoteListing;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One server's part of a deploy, step by step: {@link #lock}, {@link #inspect} (journal, live release), {@link #hash},
 * {@link #stage}, {@link #verify}, {@link #switchLink}, {@link #retain}. The journal decides where a re-run of the
 * same release resumes, but never what it may trust: a release folder left by an earlier attempt is re-diffed
 * against the build of this run and repaired before it is verified, whatever step the earlier attempt reached, and
 * a release already live must hold this run's build. The diff reported is always against the release that was live
 * before this release's first attempt.
 */
public final class HostDeployment implements AutoCloseable {
    /** Where this server's deploy of the release stands. */
    public enum Resume {
        /** Nothing staged yet: a new folder is seeded from the live release. */
        FRESH,
        /** An earlier attempt left the folder (staged, perhaps verified, from some build): re-diffed and repaired. */
        RESTAGE,
        /** Already switched: nothing to do but check it holds this build, and report. */
        DONE
    }

    private final Server server;
    private final SiteLayout layout;
    private final String release;
    private final Vocabulary words;
    private Journal journal;
    private DeployLock lock;
    private ProgressListener lockListener = ProgressListener.NONE;
    private Resume resume;
    private JournalEntry entry;
    private String deployId;
    private RemoteListing live;
    private RemoteListing previous;
    private StoredManifest previousStored = StoredManifest.NONE;
    private Manifest previousContent;
    private Manifest folderContent;
    private ChangeSet changes;
    private ChangeSet toApply;
    private int keepRemoved;
    private List<String> indexDocuments = List.of();
    private GracePeriod.Decision grace = GracePeriod.NONE;
    private Map<String, Integer> previousMarks = Map.of();
    private Manifest target;
    private ChangeSet served;
    private String seed = "none";
    private long bytesUploaded;
    private long filesUploaded;
    private String state = "not switched";
    private String production;
    private boolean productionKnown = true;
    private boolean switched;
    private List<String> deleted = List.of();
    private List<ReleaseCatalog.Entry> releases = List.of();

    public HostDeployment(Server server, SiteLayout layout, String release) {
        this(server, layout, release, Vocabulary.CLI);
    }

    /** @param words how the front end names the options and remedies, for the messages */
    public HostDeployment(Server server, SiteLayout layout, String release, Vocabulary words) {
        this.server = server;
        this.layout = layout;
        this.release = release;
        this.words = words;
        this.journal = new Journal(server, layout);
    }

    /**
     * Keeps the files a build removes servable for {@code deploys} later deploys ({@link GracePeriod}); 0, the
     * default here, removes them with the deploy.
     *
     * @param documents the index document names, never kept (as every page)
     */
    public void keepRemoved(int deploys, List<String> documents) {
        keepRemoved = deploys;
        indexDocuments = List.copyOf(documents);
    }

    /**
     * Takes this server's deploy lock, waiting for another deploy to finish; from then on the journal is written only
     * while the lock is still this deploy's.
     *
     * @param token this deploy's, the same on every host ({@link DeployLock#newToken()})
     */
    public void lock(String token, Duration lockTimeout, boolean breakLock, ProgressListener listener)
            throws IOException {
        lock = DeployLock.acquire(server, layout, release, token, lockTimeout, breakLock, listener, words);
        lockListener = listener;
        journal = new Journal(server, layout, lock);
    }

    /**
     * After another deploy was found to have broken a lock: checks this host's, so that what production serves here
     * is read from the server if that deploy took this lock too, and is not known if the check fails.
     */
    public void recheckLock() {
        if (lock == null) {
            return;
        }
        try {
            lock.ensureHeld();
        } catch (LockLostException e) {
            // production() now says what the server said
        } catch (IOException | RuntimeException e) {
            production = null;
            productionKnown = false;
        }
    }

    /** Checks on the server that this deploy's lock was not broken (before a step the server cannot fence). */
    public void ensureLockHeld() throws IOException {
        lock.ensureHeld();
    }

    /** Reads the journal and lists the live release: decides where this server's deploy starts. */
    public void inspect(ProgressListener listener) throws IOException {
        entry = journal.read(release);
        live = server.reader().list(listener);
        production = live.release().releaseName();
        if (live.release().state() == LiveRelease.State.DIRECTORY) {
            String name = layout.linkPath().substring(layout.linkPath().lastIndexOf('/') + 1);
            throw new DeployException(server.target() + " is a folder, not a symbolic link, so it cannot be"
                    + " switched atomically; make it a release once, on the server: cd " + quote(layout.siteRoot())
                    + " && mv " + quote(name) + " initial && ln -s initial " + quote(name));
        }
        LiveOutsideRoot.refuse(server, layout, live.release());
        boolean isLive = release.equals(live.release().releaseName());
        boolean folderExists = isLive || exists(layout.releasePath(release));
        if (entry == null) {
            if (folderExists) {
                throw new DeployException("the release folder " + layout.releasePath(release) + " already exists on "
                        + layout.host() + " and this tool did not create it; a release is never overwritten:"
                        + " choose another release name");
            }
            resume = Resume.FRESH;
            previous = live;
        } else if (isLive) {
            // switched (the journal may have missed saying so if the run died right after the switch)
            resume = Resume.DONE;
            switched = true;
            previous = entry.previousPath() == null
                    ? new RemoteListing(LiveRelease.absent(), Manifest.empty())
                    : server.reader().listFolder(entry.previousPath(), listener);
            listener.info(layout.host() + ": release " + release + " is already live (a previous run switched it);"
                    + " checking it holds this build, and reporting its changes against "
                    + (entry.previousRelease() == null ? "an empty site" : entry.previousRelease()));
        } else if (entry.has(JournalEntry.SWITCHED)) {
            throw new DeployException("release " + release + " was already deployed to " + layout.host() + " ("
                    + entry.steps().get(JournalEntry.SWITCHED) + ") and is no longer live; choose a new release"
                    + " name, or go back to it with: " + words.rollbackTo(release));
        } else {
            resume = folderExists ? Resume.RESTAGE : Resume.FRESH;
            previous = live;
        }
        deployId = entry == null ? null : entry.deployId();
    }

    private boolean exists(String path) throws IOException {
        Server.Result r = server.run("[ -e " + quote(path) + " ] || [ -L " + quote(path) + " ]", new byte[0]);
        return r.ok();
    }

    /**
     * Hashes what this server needs compared: the previous release, and the release folder an earlier attempt left.
     * Runs while the build is hashed.
     *
     * @param verifyRemote hash on the server even where the manifest stored with the previous release is current
     */
    public void hash(Manifest build, boolean verifyRemote, ProgressListener listener) throws IOException {
        // read even when not trusted: the new release's manifest is written as this one plus what differs
        previousStored = ManifestStore.read(server.reader(), layout, previousRelease(), listener);
        // marks say what a release holds, not what its files contain: trusted even where its hashes are not
        previousMarks = previousStored.marks();
        StoredManifest trusted = verifyRemote ? StoredManifest.NONE : previousStored;
        StoredManifest own = resume == Resume.DONE ? ManifestStore.read(server.reader(), layout, release, listener)
                : StoredManifest.NONE;
        // a re-run after the switch takes what the release kept from its own manifest: the options may differ now
        grace = resume == Resume.DONE
                ? GracePeriod.asStored(live.entries(), own.marks(), previousMarks, build.entries())
                : GracePeriod.decide(previous.entries(), previousMarks, build.entries(), keepRemoved, indexDocuments);
        // kept files are compared by content too: they must be in the new release as they were in the previous one
        Manifest compared = withKept(build, grace.fileEntries());
        previousContent = ReleaseContent.hashed(server.reader(), previous, compared, trusted, listener);
        folderContent = switch (resume) {
            case FRESH -> previousContent; // a fresh folder is seeded from the previous release
            // files an earlier attempt uploaded may hold another build's bytes, and its stored manifest may have
            // been written from that build: no stored hash is trusted for them, every candidate is hashed
            case RESTAGE -> ReleaseContent.hashed(server.reader(),
                    server.reader().listFolder(layout.releasePath(release), listener), compared,
                    StoredManifest.NONE, listener);
            // the live release was verified file by file before it was switched, so its own stored manifest holds
            case DONE -> ReleaseContent.hashed(server.reader(), live, compared, verifyRemote ? StoredManifest.NONE
                    : own, listener);
        };
    }

    private static Manifest withKept(Manifest build, List<ManifestEntry> kept) {
        if (kept.isEmpty()) {
            return build;
        }
        List<ManifestEntry> all = new ArrayList<>(build.entries());
        all.addAll(kept);
        return Manifest.of(all);
    }

    /**
     * Diffs the build against what was live and against what the release folder holds now. A release that is
     * already live must hold this build: anything else is refused before anything is written.
     */
    public void diff(Manifest build, ProgressListener listener) {
        // the build's changes leave out what the previous release held only because it was kept: its removal was
        // reported by the deploy whose build removed it
        changes = Differ.diff(GracePeriod.withoutKept(previousContent, previousMarks), build);
        // what a release serves is the build plus the kept files, as the release they are kept from holds them
        target = grace.target(build, resume == Resume.DONE ? folderContent : previousContent);
        served = Differ.diff(previousContent, target);
        toApply = Differ.diff(folderContent, target);
        if (resume == Resume.DONE && !toApply.isEmpty()) {
            throw new DeployException("release " + release + " is already live on " + layout.host() + " and holds"
                    + " another build than this one (" + describe(toApply) + "); nothing was changed. Deploy this"
                    + " build as a new release (another release name), or deploy again the build " + release
                    + " was made from to finish its deploy");
        }
        if (resume == Resume.RESTAGE) {
            long differ = toApply.content().size();
            String step = entry.has(JournalEntry.VERIFIED) ? "staged and verified" : "partly staged";
            listener.info(layout.host() + ": release " + release + " was " + step + " by a previous run; "
                    + (toApply.isEmpty() ? "it holds this build" : differ + (differ == 1 ? " file differs" : " files"
                            + " differ") + " from this build and " + (differ == 1 ? "is" : "are") + " staged again"));
        }
    }

    private static String describe(ChangeSet diff) {
        List<Change> all = diff.all();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(5, all.size()); i++) {
            Change c = all.get(i);
            s.append(i == 0 ? "" : ", ").append(c.kind().letter()).append(' ')
                    .append(RelativePaths.quoteForMessage(c.path())).append(c.touchesContent() ? "" : "/");
        }
        return s + (all.size() > 5 ? ", … " + all.size() + " differences in all" : "");
    }

    /** @param id the deploy id of this deploy across all hosts, kept in the journal from the first write */
    public void deployId(String id) {
        deployId = id;
        if (entry != null && !id.equals(entry.deployId())) {
            entry = entry.withDeployId(id);
        }
    }

    /** The deploy id an earlier attempt of this release recorded here, or {@code null}. */
    public String deployId() {
        return deployId;
    }

    public void stage(Path source, Manifest build, ProgressListener listener) throws IOException {
        try {
            stageOrFail(source, build, listener);
        } catch (LockLostException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            DeployException full = OutOfSpace.explain(server, layout, release, e,
                    toApply == null ? 0 : toApply.bytes(ChangeKind.ADDED) + toApply.bytes(ChangeKind.MODIFIED), words);
            if (full == null) {
                throw e;
            }
            throw full;
        }
    }

    private void stageOrFail(Path source, Manifest build, ProgressListener listener) throws IOException {
        if (resume == Resume.FRESH) {
            LiveRelease was = previous.release();
            entry = JournalEntry.start(deployId, release, layout.releasePath(release), was.releaseName(),
                    was.releasePath(), System.getProperty("user.name") + "@" + DeployLock.hostName(),
                    build.contentCount(), build.totalBytes());
            journal.write(entry);
            seed = Seeder.seed(server, layout, release, was.releasePath(), listener);
            entry = entry.withSeed(seed);
        }
        if (resume == Resume.FRESH || resume == Resume.RESTAGE) {
            // proven again below: until then the journal must not say so
            entry = entry.without(JournalEntry.VERIFIED);
            bytesUploaded = Stager.apply(server, layout.releasePath(release), toApply, source, grace.files().keySet(),
                    previous.release().releasePath(), listener);
            // kept files linked back from the previous release were not sent
            filesUploaded = uploaded().stream().filter(p -> !grace.marks().containsKey(p)).count();
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
        Manifest verified = Verifier.verify(server, layout.releasePath(release), target, folderContent, uploaded(),
                listener);
        // stored before the journal says verified: a resumed switch finds it in place
        ManifestStore.write(server, layout, release, verified, previousRelease(), previousStored, grace.marks());
        entry = entry.with(JournalEntry.VERIFIED);
        journal.write(entry);
    }

    /** Points production at the new release; afterwards the journal says so. */
    public void switchLink() throws IOException {
        if (resume == Resume.DONE) {
            state = "already switched by a previous run";
            if (!entry.has(JournalEntry.SWITCHED)) {
                entry = entry.with(JournalEntry.SWITCHED);
                journal.write(entry);
            }
            return;
        }
        try {
            server.replaceLink(layout.linkPath(), layout.linkText(release), lock);
        } catch (LockLostException e) {
            state = "not switched: this deploy's lock was broken";
            throw e;
        } catch (DeployException e) {
            state = "switch failed, production still on " + previousRelease() + ": " + e.getMessage();
            throw e;
        } catch (IOException | RuntimeException e) {
            production = null; // the connection failed during the switch: whether it happened is not known
            productionKnown = false;
            state = "switch failed, production unknown (" + previousRelease() + " or " + release + "): "
                    + e.getMessage();
            throw e;
        }
        state = "switched";
        production = release;
        switched = true;
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

    /** The last step: CloudFront has every batch of this deploy. */
    public void invalidated() throws IOException {
        entry = entry.with(JournalEntry.INVALIDATED);
        journal.write(entry);
    }

    public void retain(int keep, ProgressListener listener) throws IOException {
        deleted = Retention.apply(server, layout, journal, keep, release, previousRelease(), lock, listener);
    }

    public Resume resume() {
        return resume;
    }

    public ChangeSet changes() {
        return changes;
    }

    /**
     * What changes for a visitor: from the previous release to the new one, kept files included (a kept file is
     * unchanged, an expired one removed, a re-added one changed only if its content did). What CloudFront forgets.
     */
    public ChangeSet served() {
        return served;
    }

    /** The new release as it serves: the build plus the kept files. */
    public Manifest target() {
        return target;
    }

    /** The files kept and expired in the new release. */
    public GracePeriod.Decision grace() {
        return grace;
    }

    /** The release live before this release's first attempt; {@code null} if none, or not yet listed. */
    public String previousRelease() {
        return previous == null ? null : previous.release().releaseName();
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

    /** The release production serves on this server, {@code null} when none (or not {@link #productionKnown}). */
    public String production() {
        // once the lock was found broken, the other deploy decides: as the server said then
        return lock != null && lock.productionWhenLost() != null ? lock.productionWhenLost() : production;
    }

    /** False when the connection failed during the switch, so whether it happened is not known. */
    public boolean productionKnown() {
        return productionKnown;
    }

    /** Whether production serves this run's release here. */
    public boolean switched() {
        return switched && release.equals(production());
    }

    public void state(String state) {
        this.state = state;
    }

    public List<String> deleted() {
        return deleted;
    }

    /**
     * Reads the release folders on this server as the run leaves them, for the report (a front end shows them).
     * Only a nicety: a server that cannot answer (an SFTP-only account) is named in an info line, not an error.
     */
    public void readReleases(ProgressListener listener) {
        try {
            LiveRelease now = switched
                    ? new LiveRelease(LiveRelease.State.LINK, layout.linkText(release), layout.releasePath(release))
                    : live.release();
            releases = ReleaseCatalog.read(server, layout, now).entries().stream()
                    .filter(e -> !e.missing()).toList();
        } catch (IOException | RuntimeException e) {
            listener.info(layout.host() + ": the releases there were not listed for the report: " + e.getMessage());
        }
    }

    /** The release folders {@link #readReleases} found, newest first; empty if not read. */
    public List<ReleaseCatalog.Entry> releases() {
        return releases;
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
                    + " released (" + e.getMessage() + "); once you are sure no deploy is running there, "
                    + words.breakLock(layout.lockPath(), layout.host()));
        } finally {
            server.close();
        }
    }
}
