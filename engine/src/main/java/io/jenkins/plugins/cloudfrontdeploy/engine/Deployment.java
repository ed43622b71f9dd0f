package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSets;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeUrl;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeVerifier;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.UrlMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.DeployLock;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.HostDeployment;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.LockLostException;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.UsageCache;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.Excludes;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.ExternalLinks;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.LocalScanner;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.ParallelHasher;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Parallel;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Servers;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Uninterruptible;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The deploy: Scan ▶ List ▶ Diff ▶ Stage ▶ Verify ▶ Switch ▶ Invalidate ▶ Cleanup ▶ Report, on every host together.
 * Nothing is written to a server before every host has been listed and diffed, no production link moves before
 * every host has staged and verified its release, and the hosts are switched one after the other only then, so a
 * failure before the switch leaves every production link where it was. Whatever the outcome, the reports say what
 * production serves and what is pending.
 */
public final class Deployment {
    private static final DateTimeFormatter DEPLOY_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public DeployResult run(DeployRequest request, ProgressListener listener) throws IOException {
        // before anything else: a run must never change production and then be unable to say so
        ReportWriter.requireWritable(request.reportPath(), request.vocabulary());
        ReportWriter reportWriter = new ReportWriter(request.vocabulary());
        String release = request.release();
        DeployProgress progress = new DeployProgress(request, release);
        try {
            DeployResult result = deploy(request, release, progress, listener);
            progress.stage(Stage.REPORT.label());
            listener.stageStarted(Stage.REPORT, 2);
            reportWriter.write(request.reportPath(), result);
            listener.stageFinished(Stage.REPORT, "written to " + request.reportPath().toAbsolutePath());
            return result;
        } catch (IOException | RuntimeException e) {
            // with the interrupt (an abort) set aside: file channels and SSH channels refuse an interrupted thread
            boolean interrupted = Thread.interrupted();
            DeployFailedException failure = progress.failed(e);
            try {
                reportWriter.write(request.reportPath(), failure.result());
            } catch (RuntimeException notWritten) {
                failure.addSuppressed(notWritten);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw failure;
        } finally {
            progress.hosts().forEach(HostDeployment::close);
        }
    }

    private DeployResult deploy(DeployRequest request, String release, DeployProgress progress,
            ProgressListener listener) throws IOException {
        Vocabulary words = request.vocabulary();
        ReleaseName.require(release, words);
        Path source = request.sourcePath();
        LocalScanner.requireSourceFolder(source, words);
        List<SiteLayout> layouts = new ArrayList<>();
        for (SshTarget t : request.targets()) {
            layouts.add(SiteLayout.of(t, request.releasesDir()));
        }
        // the build is hashed while it is walked; closed, the scanner stops hashing nobody waits for any more
        try (LocalScanner scanner = new LocalScanner(new Excludes(request.excludes(), words),
                ParallelHasher.perCore())) {
            return deploy(request, release, progress, listener, scanner, layouts);
        }
    }

    private DeployResult deploy(DeployRequest request, String release, DeployProgress progress,
            ProgressListener listener, LocalScanner scanner, List<SiteLayout> layouts) throws IOException {
        Timings timings = progress.timings;
        Vocabulary words = request.vocabulary();
        Path source = request.sourcePath();

        // the build is walked while the servers are connected, and judged before anything is written to them
        progress.stage("connect");
        CompletableFuture<Manifest> walking =
                ChangeDetection.async(() -> timings.time("walk", () -> scanner.listWhileHashing(source, listener)));
        Manifest walked;
        try {
            progress.hosts(timings.time("connect", () -> open(request, layouts, release, listener)));
        } finally {
            walked = ChangeDetection.join(walking);
        }
        List<HostDeployment> hosts = progress.hosts();
        hosts.forEach(h -> h.keepRemoved(request.keepRemoved(), request.invalidation().indexDocuments()));
        if (walked.contentCount() == 0) {
            throw new DeployException("the source folder " + source.toAbsolutePath() + " has no files"
                    + (request.excludes().isEmpty() ? "" : " once excluded paths are left out") + "; a deploy"
                    + " of an empty build would empty the site: check the build's output folder ("
                    + words.name(Vocabulary.Setting.SOURCE) + ")");
        }
        // before the lock, the first write: a link to /etc/passwd must never reach a web server unasked
        ExternalLinks.check(source, walked.entries(), request.allowExternalLinks(), words, listener);
        if (!request.dryRun()) { // a dry run writes nothing, not even a lock: a read-only account will do
            progress.stage("lock");
            timings.time("lock", () -> {
                String token = DeployLock.newToken(); // one for all hosts: a target named twice finds its own lock
                for (HostDeployment h : hosts) { // one at a time, in target order: two deploys cannot deadlock
                    h.lock(token, request.lockTimeout(), request.breakLock(), listener);
                }
                return null;
            });
        }
        progress.stage(Stage.LIST.label());
        timings.time("list", () -> Parallel.all("list", jobs(hosts, h -> {
            h.inspect(listener);
            return null;
        })));
        String deployId = hosts.stream().map(HostDeployment::deployId).filter(Objects::nonNull).findFirst()
                .orElseGet(Deployment::newDeployId);
        hosts.forEach(h -> h.deployId(deployId));
        progress.deployId(deployId);
        CompletableFuture<List<Void>> remote = ChangeDetection.async(() -> timings.time("remoteHash",
                () -> Parallel.all("hash", jobs(hosts, h -> {
                    h.hash(walked, request.verifyRemote(), listener);
                    return null;
                }))));
        Manifest build = timings.time("hash", () -> scanner.hash(source, walked, listener));
        ChangeDetection.join(remote);

        progress.stage(Stage.DIFF.label());
        listener.stageStarted(Stage.DIFF, build.size());
        List<ChangeSet> perHost = new ArrayList<>();
        for (HostDeployment h : hosts) {
            h.diff(build, listener);
            perHost.add(h.changes());
        }
        ChangeSet changes = combine(hosts, perHost, request.allowDivergent(), request.vocabulary(), listener);
        listener.stageFinished(Stage.DIFF, changes.content().size() + " changed, " + changes.unchanged()
                + " unchanged");
        checkDeletes(hosts, changes, request.maxDeletes(), request.vocabulary());
        progress.diffed(changes, build);
        KeptFiles kept = kept(hosts.get(0), request);
        progress.kept(kept);
        // CloudFront forgets what changes for a visitor: a kept file is not one, an expired one only when asked
        ChangeSet toForget = forget(hosts, kept, request.invalidateExpired());
        Manifest served = hosts.get(0).target();

        InvalidationResult invalidation = null;
        HostDeployment first = hosts.get(0);
        Map<String, Integer> usage = request.invalidation().showMonthlyUsage()
                ? UsageCache.read(first.server(), first.layout())
                : new HashMap<>();
        CloudFrontInvalidation invalidate = new CloudFrontInvalidation(request.invalidation(), listener, usage);
        progress.invalidation(invalidate);
        String operation = "deploy " + release + " " + deployId;
        if (request.dryRun()) {
            hosts.forEach(h -> h.state("dry run: nothing written"));
            if (request.invalidation().enabled()) {
                progress.stage(Stage.INVALIDATE.label());
                invalidation = invalidate.run(toForget, served, operation, List.of(), r -> {}, true);
            }
        } else {
            if (request.invalidation().enabled()) {
                // a wrong distribution or a missing permission stops the deploy while production is untouched
                progress.stage(Stage.INVALIDATE.label());
                invalidate.preflight();
                invalidate.checkOrigins(request.targets().stream().filter(t -> !t.isLocal()).map(SshTarget::host)
                        .distinct().toList());
            }
            progress.stage(Stage.STAGE.label());
            progress.changing();
            long total = changes.bytes(ChangeKind.ADDED) + changes.bytes(ChangeKind.MODIFIED);
            listener.stageStarted(Stage.STAGE, total * hosts.size());
            timings.time("stage", () -> Parallel.all("stage", jobs(hosts, h -> {
                h.stage(source, build, listener);
                return null;
            })));
            listener.stageFinished(Stage.STAGE, summary(hosts));
            progress.stage(Stage.VERIFY.label());
            listener.stageStarted(Stage.VERIFY, -1);
            timings.time("verify", () -> Parallel.all("verify", jobs(hosts, h -> {
                h.verify(build, listener);
                return null;
            })));
            listener.stageFinished(Stage.VERIFY, "release " + release + " matches the build on every host");
            progress.stage(Stage.SWITCH.label());
            timings.time("switch", () -> {
                switchAll(hosts, release, listener);
                return null;
            });
            if (request.invalidation().enabled()) {
                progress.stage(Stage.INVALIDATE.label());
                for (HostDeployment h : hosts) { // CloudFront cannot check a lock: a deploy that lost one stops
                    h.ensureLockHeld();
                }
                invalidation = timings.time("invalidate", () -> invalidate.run(toForget, served, operation,
                        journaled(hosts), records -> record(hosts, records, request.vocabulary()), false));
                for (HostDeployment h : hosts) {
                    h.invalidated();
                }
            }
            progress.stage(Stage.CLEANUP.label());
            timings.time("cleanup", () -> {
                cleanup(hosts, request.keep(), listener);
                return null;
            });
            if (request.edge().enabled()) {
                progress.stage("verify edge");
                EdgeResult edge = timings.time("edge", () -> verifyEdge(request, changes, build, deployId, listener));
                progress.edge(edge);
                judge(edge, request, listener);
            }
        }
        if (request.invalidation().showMonthlyUsage() && !usage.isEmpty() && !request.dryRun()) {
            UsageCache.write(first.server(), first.layout(), usage, listener);
        }
        for (HostDeployment h : hosts) { // what the report lists as the releases on each host
            h.readReleases(listener);
        }
        return progress.result(invalidation);
    }

    /** The report's account of the grace period, from the first host (hosts that agree keep the same files). */
    private static KeptFiles kept(HostDeployment first, DeployRequest request) {
        List<KeptFiles.Kept> kept = new ArrayList<>();
        first.grace().files().forEach((path, age) -> kept.add(new KeptFiles.Kept(path,
                Math.max(1, request.keepRemoved() - age))));
        return new KeptFiles(request.keepRemoved(), kept, first.grace().expired(), request.invalidateExpired());
    }

    /**
     * The changes CloudFront must forget: what a visitor is served differently (every host's, as for the build's
     * changes), without the expired files unless asked to invalidate them too.
     */
    private static ChangeSet forget(List<HostDeployment> hosts, KeptFiles kept, boolean invalidateExpired) {
        List<ChangeSet> perHost = hosts.stream().map(HostDeployment::served).toList();
        ChangeSet served = perHost.stream().map(ChangeSet::all).distinct().count() == 1 ? perHost.get(0)
                : ChangeSets.union(perHost);
        if (invalidateExpired || kept.expired().isEmpty()) {
            return served;
        }
        java.util.Set<String> expired = new java.util.HashSet<>(kept.expired());
        return new ChangeSet(served.all().stream()
                .filter(c -> !(c.kind() == ChangeKind.REMOVED && expired.contains(c.path()))).toList(),
                served.unchanged());
    }

    /** Fetches the changed URLs and a sample of the others through the site's address, once invalidated. */
    private static EdgeResult verifyEdge(DeployRequest request, ChangeSet changes, Manifest build, String deployId,
            ProgressListener listener) {
        var inv = request.invalidation();
        UrlMapper urls = new UrlMapper(inv.urlPrefix(), inv.indexDocuments(), inv.directoryWithoutSlash());
        return new EdgeVerifier(request.edge(), urls, listener).verify(changes, build, deployId);
    }

    /** Stale or missing URLs fail the deploy when asked to, and are warned about otherwise. */
    private static void judge(EdgeResult edge, DeployRequest request, ProgressListener listener) {
        List<EdgeUrl> failing = edge.failing();
        if (failing.isEmpty()) {
            listener.info("the edge serves the build: " + edge.ok() + " URL(s) checked at " + edge.base());
            return;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(5, failing.size()); i++) {
            EdgeUrl u = failing.get(i);
            s.append(i == 0 ? "" : "; ").append(u.status()).append(' ').append(u.url()).append(" (")
                    .append(u.detail() == null ? "HTTP " + u.httpStatus() : u.detail())
                    .append(u.xCache() == null ? "" : ", X-Cache: " + u.xCache())
                    .append(u.age() == null ? "" : ", Age: " + u.age()).append(')');
        }
        String message = "the edge at " + edge.base() + " does not serve the build at " + failing.size() + " of "
                + edge.urls().size() + " URL(s) after " + request.edge().timeout().toSeconds() + "s (" + edge.stale()
                + " stale, " + edge.missing() + " missing): " + s + (failing.size() > 5 ? "; …" : "")
                + "; the report lists them all";
        if (request.edge().failOnStale()) {
            throw new DeployException(message);
        }
        listener.warning(message);
    }

    /** A new deploy's id: when it began, and enough randomness that two deploys of one second differ. */
    private static String newDeployId() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return DEPLOY_ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(random);
    }

    /** Connects to every host at once; if one fails, the others are closed again. */
    private static List<HostDeployment> open(DeployRequest request, List<SiteLayout> layouts, String release,
            ProgressListener listener) throws IOException {
        List<CompletableFuture<HostDeployment>> opening = new ArrayList<>();
        for (SiteLayout layout : layouts) {
            opening.add(ChangeDetection.async(() -> new HostDeployment(
                    Servers.open(layout.target(), request.ssh(), listener), layout, release, request.vocabulary())));
        }
        List<HostDeployment> hosts = new ArrayList<>();
        IOException failure = null;
        RuntimeException runtimeFailure = null;
        for (CompletableFuture<HostDeployment> f : opening) {
            try {
                hosts.add(ChangeDetection.join(f));
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            } catch (RuntimeException e) {
                runtimeFailure = runtimeFailure == null ? e : runtimeFailure;
            }
        }
        if (failure != null || runtimeFailure != null) {
            hosts.forEach(HostDeployment::close);
            if (runtimeFailure != null) {
                throw runtimeFailure;
            }
            throw failure;
        }
        return hosts;
    }

    private interface HostStep<T> {
        T run(HostDeployment host) throws IOException;
    }

    private static <T> List<Parallel.Work<T>> jobs(List<HostDeployment> hosts, HostStep<T> step) {
        List<Parallel.Work<T>> jobs = new ArrayList<>();
        for (HostDeployment h : hosts) {
            jobs.add(() -> step.run(h));
        }
        return jobs;
    }

    /** One change set for all hosts: they must agree, unless the caller accepts the union. */
    private static ChangeSet combine(List<HostDeployment> hosts, List<ChangeSet> perHost, boolean allowDivergent,
            Vocabulary words, ProgressListener listener) {
        boolean divergent = false;
        for (int i = 1; i < hosts.size(); i++) {
            divergent |= !java.util.Objects.equals(hosts.get(i).previousRelease(), hosts.get(0).previousRelease())
                    || !perHost.get(i).all().equals(perHost.get(0).all());
        }
        if (!divergent) {
            return perHost.get(0);
        }
        StringBuilder which = new StringBuilder();
        for (int i = 0; i < hosts.size(); i++) {
            which.append(i == 0 ? "" : ", ").append(hosts.get(i).layout().host()).append(" has ")
                    .append(hosts.get(i).previousRelease() == null ? "no release" : hosts.get(i).previousRelease())
                    .append(" (").append(perHost.get(i).content().size()).append(" changes)");
        }
        if (!allowDivergent) {
            throw new DeployException("the hosts do not serve the same release: " + which + "; deploy to them"
                    + " separately" + (words.offers(Vocabulary.Setting.ALLOW_DIVERGENT) ? ", or give "
                            + words.name(Vocabulary.Setting.ALLOW_DIVERGENT) + " to deploy to all and report the"
                            + " union of the changes" : ""));
        }
        listener.warning("the hosts do not serve the same release (" + which + "): the report lists the union of"
                + " their changes");
        return ChangeSets.union(perHost);
    }

    private static void checkDeletes(List<HostDeployment> hosts, ChangeSet changes, int maxDeletes,
            Vocabulary words) {
        long removed = changes.count(ChangeKind.REMOVED);
        boolean pending = hosts.stream().anyMatch(h -> h.resume() != HostDeployment.Resume.DONE);
        if (pending && maxDeletes >= 0 && removed > maxDeletes) {
            boolean raise = words.offers(Vocabulary.Setting.MAX_DELETES); // a front end may not offer the limit
            throw new DeployException("the deploy would remove " + removed + " files from the live site, more than "
                    + (raise ? words.given(Vocabulary.Setting.MAX_DELETES, maxDeletes) : "the limit of " + maxDeletes)
                    + "; check that the build in the source folder (" + words.name(Vocabulary.Setting.SOURCE)
                    + ") is complete"
                    + (raise ? ", or raise " + words.name(Vocabulary.Setting.MAX_DELETES) + " (-1 for no limit)" : ""));
        }
    }

    /**
     * Switches host after host; on a failure, says exactly which hosts serve which release, and stops. An interrupt
     * (an aborted build, Ctrl-C) waits until every host is switched, as a half-switched set of hosts is worse than a
     * late stop; then the run stops.
     */
    private static void switchAll(List<HostDeployment> hosts, String release, ProgressListener listener)
            throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new DeployException("interrupted before the switch");
        }
        Uninterruptible.run("switch", () -> {
            switchEach(hosts, release, listener);
            return null;
        });
        if (Thread.currentThread().isInterrupted()) {
            throw new DeployException("interrupted once production was switched on every host");
        }
    }

    private static void switchEach(List<HostDeployment> hosts, String release, ProgressListener listener)
            throws IOException {
        listener.stageStarted(Stage.SWITCH, hosts.size());
        int done = 0;
        for (HostDeployment h : hosts) {
            try {
                h.switchLink();
            } catch (IOException | RuntimeException e) {
                if (e instanceof LockLostException) {
                    throw e; // says itself what happened and that nothing more was changed
                }
                throw new DeployException("switching production to " + release + " failed on " + h.layout().host()
                        + ": " + e.getMessage(), e);
            }
            listener.progressed(Stage.SWITCH, ++done);
            listener.info(h.layout().host() + ": " + h.layout().linkPath() + " -> " + h.layout().linkText(release)
                    + (h.state().equals("switched") ? "" : " (" + h.state() + ")"));
        }
        listener.stageFinished(Stage.SWITCH, "production is release " + release + " on " + hosts.size() + " host"
                + (hosts.size() == 1 ? "" : "s"));
    }

    /** Old releases are tidied after the switch; a failure there is reported but does not undo a good deploy. */
    private static void cleanup(List<HostDeployment> hosts, int keep, ProgressListener listener) {
        for (HostDeployment h : hosts) {
            try {
                h.retain(keep, listener);
            } catch (LockLostException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                listener.warning(h.layout().host() + ": deleting old releases failed: " + e.getMessage());
            }
        }
    }

    private static String summary(List<HostDeployment> hosts) {
        long files = hosts.stream().mapToLong(HostDeployment::filesUploaded).sum();
        long bytes = hosts.stream().mapToLong(HostDeployment::bytesUploaded).sum();
        return files + " files (" + bytes + " bytes) uploaded to " + hosts.size() + " host"
                + (hosts.size() == 1 ? "" : "s") + ", seeded by " + hosts.get(0).seed();
    }

    /** The batches an earlier run of this release recorded, on whichever host got them. */
    private static List<InvalidationRecord> journaled(List<HostDeployment> hosts) {
        return hosts.stream().map(HostDeployment::invalidations).filter(l -> !l.isEmpty()).findFirst()
                .orElse(List.of());
    }

    /** Every host's journal gets the batches: a re-run finds them whichever host it reads first. */
    private static void record(List<HostDeployment> hosts, List<InvalidationRecord> records, Vocabulary words) {
        for (HostDeployment h : hosts) {
            try {
                h.recordInvalidations(records);
            } catch (IOException e) {
                throw new DeployException("recording the invalidation batches in the journal on " + h.layout().host()
                        + " failed: " + e.getMessage() + "; " + words.sameDeployAgain() + " to finish them", e);
            }
        }
    }
}
