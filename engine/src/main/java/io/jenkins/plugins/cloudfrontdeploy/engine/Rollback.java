package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Differ;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.AbandonedReleases;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.DeployLock;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ManifestStore;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.RollbackJournal;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseContent;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.RemoteListing;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Servers;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rollback: choose the release to go back to (the newest good one before the live release, or the one named), diff
 * the two on the server (those are the paths CloudFront must forget), switch every host's link back atomically, mark
 * the release left behind as bad, and invalidate. The rollback is journaled on each host before the switch; run
 * again after it died past the switch, it finishes the invalidation instead of rolling back further.
 */
public final class Rollback {
    private final ReportWriter reportWriter = new ReportWriter();

    /** One host's rollback, as planned before anything is switched. */
    /** @param resumed the unfinished rollback this one completes (its switch is done), or {@code null} */
    private record Plan(Server server, SiteLayout layout, DeployLock lock, String from, String fromPath, String to,
            String toPath, ChangeSet changes, Manifest served, RollbackJournal.Entry resumed) {}

    public DeployResult run(RollbackRequest request, ProgressListener listener) throws IOException {
        long started = System.nanoTime();
        Timings timings = new Timings();
        if (request.to() != null) {
            ReleaseName.require(request.to());
        }
        List<Server> servers = new ArrayList<>();
        List<Plan> plans = new ArrayList<>();
        try {
            for (SshTarget t : request.targets()) {
                servers.add(Servers.open(t, request.ssh(), listener));
            }
            String token = DeployLock.newToken(); // one for all hosts: a target named twice finds its own lock
            for (Server server : servers) {
                plans.add(plan(server, SiteLayout.of(server.target(), request.releasesDir()), request, token,
                        listener));
            }
            for (Plan p : plans) {
                if (!Objects.equals(p.to(), plans.get(0).to()) || !Objects.equals(p.from(), plans.get(0).from())
                        || (p.resumed() == null) != (plans.get(0).resumed() == null)) {
                    throw new DeployException("the hosts would not end on the same release (" + describe(plans)
                            + "); name the release with --to, or roll back each host on its own");
                }
            }
            Plan first = plans.get(0);
            RollbackJournal.Entry entry = first.resumed() != null
                    ? first.resumed()
                    : RollbackJournal.Entry.start(first.from(), first.fromPath(), first.to());
            List<DeployResult.HostResult> hosts = first.resumed() != null ? resumed(plans) : switchBack(plans, entry,
                    listener);
            InvalidationResult invalidation = null;
            RuntimeException invalidationFailure = null;
            if (request.invalidation().enabled()) {
                // the journal's start time names this rollback: a re-run resends the same batches, a later rollback
                // of the same releases is a new invalidation
                try {
                    invalidation = new CloudFrontInvalidation(request.invalidation(), listener).run(first.changes(),
                            first.served(), entry.operation(), entry.invalidations(),
                            records -> record(plans, entry.withInvalidations(records)), false);
                } catch (RuntimeException e) {
                    invalidationFailure = e;
                }
            }
            if (invalidationFailure == null) {
                record(plans, (invalidation == null ? entry : entry.withInvalidations(invalidation.batches()))
                        .finished());
            }
            timings.record("total", (System.nanoTime() - started) / 1_000_000);
            DeployResult result = new DeployResult("rollback", null, List.of(), first.to(), first.from(), hosts,
                    first.changes(), -1, -1, 0, false, timings.asMap(),
                    request.reportPath().resolve(ReportWriter.CHANGES_FILE).toString(),
                    request.reportPath().resolve(ReportWriter.REPORT_FILE).toString(), invalidation, null,
                    DeployResult.Outcome.of("rolled back"));
            DeployException failure = invalidationFailure == null ? null
                    : new DeployException("production is back on " + first.to() + ", but the invalidation failed: "
                            + invalidationFailure.getMessage() + ". Run the same rollback again to finish it (batches"
                            + " already sent are not sent twice)", invalidationFailure);
            if (failure != null) {
                result = result.withOutcome(new DeployResult.Outcome(DeployResult.Outcome.FAILED,
                        Stage.INVALIDATE.label(), failure.getMessage()));
            }
            reportWriter.write(request.reportPath(), result);
            if (failure != null) {
                throw failure;
            }
            return result;
        } finally {
            for (Plan p : plans) {
                try {
                    p.lock().close();
                } catch (IOException | RuntimeException e) {
                    listener.warning("releasing the deploy lock on " + p.layout().host() + " failed: " + e.getMessage());
                }
            }
            servers.forEach(Server::close);
        }
    }

    /** Every host's link is switched back; each host's journal says so first, so a re-run can finish the rest. */
    private static List<DeployResult.HostResult> switchBack(List<Plan> plans, RollbackJournal.Entry entry,
            ProgressListener listener) throws IOException {
        listener.stageStarted(Stage.SWITCH, plans.size());
        int done = 0;
        List<DeployResult.HostResult> hosts = new ArrayList<>();
        for (Plan p : plans) {
            RollbackJournal.write(p.server(), p.layout(), entry);
            p.server().replaceLink(p.layout().linkPath(), linkText(p.layout(), p.to(), p.toPath()), p.lock());
            new AbandonedReleases(p.server(), p.layout()).mark(p.from(), p.to());
            listener.progressed(Stage.SWITCH, ++done);
            listener.info(p.layout().host() + ": " + p.layout().linkPath() + " -> " + p.to() + " (" + p.from()
                    + " is marked bad)");
            hosts.add(new DeployResult.HostResult(p.server().target().toString(), p.server().transport(),
                    p.from(), "none", 0, 0, "rolled back", List.of(), p.to(), true));
        }
        listener.stageFinished(Stage.SWITCH, "production is release " + plans.get(0).to() + " again");
        return hosts;
    }

    private static List<DeployResult.HostResult> resumed(List<Plan> plans) {
        List<DeployResult.HostResult> hosts = new ArrayList<>();
        for (Plan p : plans) {
            hosts.add(new DeployResult.HostResult(p.server().target().toString(), p.server().transport(),
                    p.from(), "none", 0, 0, "already rolled back by a previous run", List.of(), p.to(), true));
        }
        return hosts;
    }

    private static void record(List<Plan> plans, RollbackJournal.Entry entry) {
        for (Plan p : plans) {
            try {
                RollbackJournal.write(p.server(), p.layout(), entry);
            } catch (IOException e) {
                throw new DeployException("recording the rollback on " + p.layout().host() + " failed: "
                        + e.getMessage() + "; run the same rollback again to finish it", e);
            }
        }
    }

    private static Plan plan(Server server, SiteLayout layout, RollbackRequest request, String token,
            ProgressListener listener) throws IOException {
        DeployLock lock = DeployLock.acquire(server, layout, "rollback", token, request.lockTimeout(),
                request.breakLock(), listener);
        try {
            RemoteListing live = server.reader().list(listener);
            String from = live.release().releaseName();
            if (from == null) {
                throw new DeployException(layout.target() + " serves no release; there is nothing to roll back");
            }
            RollbackJournal.Entry last = RollbackJournal.read(server, layout);
            if (last != null && !last.done() && last.to().equals(from)
                    && (request.to() == null || request.to().equals(from))) {
                listener.info(layout.host() + ": a previous rollback from " + last.from() + " to " + from + " switched"
                        + " but did not finish; finishing it");
                RemoteListing before = server.reader().listFolder(last.fromPath(), listener);
                Manifest was = ReleaseContent.hashed(server.reader(), before, live.entries(),
                        stored(server, layout, last.from(), request, listener), listener);
                Manifest now = ReleaseContent.hashed(server.reader(), live, before.entries(),
                        stored(server, layout, from, request, listener), listener);
                return new Plan(server, layout, lock, last.from(), last.fromPath(), from,
                        live.release().releasePath(), Differ.diff(was, now), now, last);
            }
            List<ReleaseCatalog.Entry> releases = ReleaseCatalog.read(server, layout, live.release());
            ReleaseCatalog.Entry to = null;
            for (ReleaseCatalog.Entry e : releases) {
                if (request.to() == null ? e.rollbackTarget() : e.name().equals(request.to())) {
                    to = e;
                }
            }
            String toName = request.to() != null ? request.to() : to == null ? null : to.name();
            if (toName == null) {
                throw new DeployException("there is no earlier good release on " + layout.host() + " to roll back"
                        + " to (see cloudfront-deploy releases); name one with --to");
            }
            if (toName.equals(from)) {
                throw new DeployException("release " + toName + " is already live on " + layout.host());
            }
            if (to != null && to.bad()) {
                listener.warning("release " + toName + " was rolled back from before (marked bad); going back to it"
                        + " because --to names it");
            }
            String toPath = to != null && to.path() != null ? to.path() : layout.releasePath(toName);
            RemoteListing target = server.reader().listFolder(toPath, listener);
            Manifest before = ReleaseContent.hashed(server.reader(), live, target.entries(),
                    stored(server, layout, from, request, listener), listener);
            Manifest after = ReleaseContent.hashed(server.reader(), target, live.entries(),
                    stored(server, layout, toName, request, listener), listener);
            return new Plan(server, layout, lock, from, live.release().releasePath(), toName, toPath,
                    Differ.diff(before, after), after, null);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static StoredManifest stored(Server server, SiteLayout layout, String release, RollbackRequest request,
            ProgressListener listener) throws IOException {
        return request.verifyRemote()
                ? StoredManifest.NONE
                : ManifestStore.read(server.reader(), layout, release, listener);
    }

    private static String linkText(SiteLayout layout, String name, String path) {
        return path.equals(layout.siteRoot() + "/" + name) ? name : path;
    }

    private static String describe(List<Plan> plans) {
        StringBuilder s = new StringBuilder();
        for (Plan p : plans) {
            s.append(s.length() == 0 ? "" : ", ").append(p.layout().host()).append(": ").append(p.from())
                    .append(" -> ").append(p.to());
        }
        return s.toString();
    }
}
