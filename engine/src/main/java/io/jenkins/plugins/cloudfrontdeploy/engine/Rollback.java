package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Differ;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
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
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ConnectionLostException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rollback: choose the release to go back to (the newest good one before the live release, or the one named), diff
 * the two on the server (those are the paths CloudFront must forget), switch every host's link back atomically, mark
 * the release left behind as bad, and invalidate. The rollback is journaled on each host before the switch; run
 * again after it died past the switch, it finishes the invalidation instead of rolling back further, and run again
 * after it finished (nothing deployed since), it does nothing but report. A target whose folder is gone is refused
 * before anything moves.
 */
public final class Rollback {

    /** One host's rollback, as planned before anything is switched. */
    /**
     * @param resumed the earlier rollback this run repeats (its switch is done): unfinished, this run completes it;
     *     done, there is nothing to do; {@code null} for a new rollback
     */
    private record Plan(Server server, SiteLayout layout, DeployLock lock, String from, String fromPath, String to,
            String toPath, ChangeSet changes, Manifest served, RollbackJournal.Entry resumed) {
        boolean done() {
            return resumed != null && resumed.done();
        }
    }

    public DeployResult run(RollbackRequest request, ProgressListener listener) throws IOException {
        long started = System.nanoTime();
        Timings timings = new Timings();
        if (request.to() != null) {
            ReleaseName.require(request.to(), request.vocabulary());
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
                        || (p.resumed() == null) != (plans.get(0).resumed() == null)
                        || p.done() != plans.get(0).done()) {
                    throw new DeployException("the hosts would not end on the same release (" + describe(plans)
                            + "); name the release with " + request.vocabulary().name(Vocabulary.Setting.ROLLBACK_TO)
                            + ", or roll back each host on its own");
                }
            }
            Plan first = plans.get(0);
            if (first.done()) {
                return nothingToDo(plans, request, timings, started, listener);
            }
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
                CloudFrontInvalidation stage = new CloudFrontInvalidation(request.invalidation(), listener);
                try {
                    invalidation = stage.run(first.changes(), first.served(), entry.operation(),
                            entry.invalidations(), records -> record(plans, entry.withInvalidations(records)), false);
                } catch (RuntimeException e) {
                    invalidationFailure = e;
                    invalidation = stage.partial(); // the report says which batches are pending
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
            String failure = invalidationFailure == null ? null
                    : "production is back on " + first.to() + ", but the invalidation failed: "
                            + invalidationFailure.getMessage() + ". Run the same rollback again to finish it (batches"
                            + " already sent are not sent twice)";
            if (failure != null) {
                result = result.withOutcome(new DeployResult.Outcome(DeployResult.Outcome.FAILED,
                        Stage.INVALIDATE.label(), failure));
            }
            new ReportWriter(request.vocabulary()).write(request.reportPath(), result);
            if (failure != null) {
                // with its result, as a failed deploy: a front end shows what is live and what is pending
                throw new DeployFailedException(failure, result, invalidationFailure);
            }
            return result;
        } catch (IOException | RuntimeException e) {
            throw lost(servers, e, request.vocabulary());
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

    /**
     * A failure as the loss of a host's connection, when one died under the rollback (whatever call noticed it
     * first): one line, the library's words left to the cause. Any other failure as it is.
     */
    private static RuntimeException lost(List<Server> servers, Exception e, Vocabulary words) throws IOException {
        if (!(e instanceof DeployFailedException) && !(e instanceof DeployException d && !d.resumable())) {
            for (Server server : servers) {
                ConnectionLostException lost = e instanceof ConnectionLostException l ? l : server.lost(e);
                if (lost != null) {
                    return new DeployException(lost.during("the rollback") + "; " + words.sameCommandAgain()
                            + " to finish it", e);
                }
            }
        }
        if (e instanceof IOException io) {
            throw io;
        }
        return (RuntimeException) e;
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

    /** The same rollback, run again after it finished: its report again, no switch, nothing sent to CloudFront. */
    private DeployResult nothingToDo(List<Plan> plans, RollbackRequest request, Timings timings, long started,
            ProgressListener listener) throws IOException {
        Plan first = plans.get(0);
        RollbackJournal.Entry done = first.resumed();
        if (request.invalidation().enabled()) {
            List<String> ids = done.invalidations().stream().map(InvalidationRecord::id).filter(Objects::nonNull)
                    .toList();
            listener.info("no invalidation is sent: that rollback sent its own"
                    + (ids.isEmpty() ? "" : " (" + String.join(", ", ids) + ")"));
        }
        List<DeployResult.HostResult> hosts = new ArrayList<>();
        for (Plan p : plans) {
            hosts.add(new DeployResult.HostResult(p.server().target().toString(), p.server().transport(),
                    p.from(), "none", 0, 0, "nothing to do: the rollback from " + p.from() + " to " + p.to() + " "
                    + p.resumed().whenFinished(), List.of(), p.to(), true));
        }
        timings.record("total", (System.nanoTime() - started) / 1_000_000);
        DeployResult result = new DeployResult("rollback", null, List.of(), first.to(), first.from(), hosts,
                first.changes(), -1, -1, 0, false, timings.asMap(),
                request.reportPath().resolve(ReportWriter.CHANGES_FILE).toString(),
                request.reportPath().resolve(ReportWriter.REPORT_FILE).toString(), null, null,
                DeployResult.Outcome.of("rolled back"));
        new ReportWriter(request.vocabulary()).write(request.reportPath(), result);
        return result;
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
        Vocabulary words = request.vocabulary();
        DeployLock lock = DeployLock.acquire(server, layout, "rollback", token, request.lockTimeout(),
                request.breakLock(), listener, words);
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
                return repeat(server, layout, lock, live, last, request, listener);
            }
            ReleaseCatalog catalog = ReleaseCatalog.read(server, layout, live.release(), last);
            if (catalog.finishedRollback() != null && (request.to() == null || request.to().equals(from))) {
                listener.info(layout.host() + ": production is already on " + from + ": the rollback from "
                        + last.from() + " to " + from + " " + last.whenFinished() + "; nothing to do. To go back"
                        + " further, name the release with " + words.name(Vocabulary.Setting.ROLLBACK_TO));
                return repeat(server, layout, lock, live, last, request, listener);
            }
            ReleaseCatalog.Entry to = request.to() == null ? catalog.rollbackTarget() : catalog.find(request.to());
            String toName = request.to() != null ? request.to() : to == null ? null : to.name();
            if (toName == null && catalog.missingDefault() != null) {
                ReleaseCatalog.Entry gone = catalog.missingDefault();
                throw missingTarget(layout, catalog, gone.name(), gone.path(), words);
            }
            if (toName == null) {
                throw new DeployException("there is no earlier good release on " + layout.host() + " to roll back"
                        + " to" + (words.listReleases() == null ? "" : " (see " + words.listReleases() + ")")
                        + "; name one with " + words.name(Vocabulary.Setting.ROLLBACK_TO));
            }
            if (toName.equals(from)) {
                throw new DeployException("release " + toName + " is already live on " + layout.host());
            }
            String toPath = to != null && to.path() != null ? to.path() : layout.releasePath(toName);
            if (to != null ? to.missing() : !ReleaseCatalog.isFolder(server, layout, toPath)) {
                throw missingTarget(layout, catalog, toName, toPath, words);
            }
            if (to != null && to.bad()) {
                listener.warning("release " + toName + " was rolled back from before (marked bad); going back to it"
                        + " because " + words.name(Vocabulary.Setting.ROLLBACK_TO) + " names it");
            }
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

    /**
     * The plan of a rollback run again: its switch is done, so its changes are those between the release it left
     * (still on the server, marked bad) and the live one. Done, with that folder deleted since, it reports none.
     */
    private static Plan repeat(Server server, SiteLayout layout, DeployLock lock, RemoteListing live,
            RollbackJournal.Entry last, RollbackRequest request, ProgressListener listener) throws IOException {
        String to = live.release().releaseName();
        if (last.done() && !ReleaseCatalog.isFolder(server, layout, last.fromPath())) {
            listener.info(layout.host() + ": the folder " + last.fromPath() + " of " + last.from() + " no longer"
                    + " exists; its changes are not reported again");
            return new Plan(server, layout, lock, last.from(), last.fromPath(), to, live.release().releasePath(),
                    Differ.diff(Manifest.empty(), Manifest.empty()), Manifest.empty(), last);
        }
        RemoteListing before = server.reader().listFolder(last.fromPath(), listener);
        Manifest was = ReleaseContent.hashed(server.reader(), before, live.entries(),
                stored(server, layout, last.from(), request, listener), listener);
        Manifest now = ReleaseContent.hashed(server.reader(), live, before.entries(),
                stored(server, layout, to, request, listener), listener);
        return new Plan(server, layout, lock, last.from(), last.fromPath(), to, live.release().releasePath(),
                Differ.diff(was, now), now, last);
    }

    /** A target whose folder is gone: refused before anything moves, naming the releases that are there. */
    private static DeployException missingTarget(SiteLayout layout, ReleaseCatalog catalog, String name,
            String path, Vocabulary words) {
        ReleaseCatalog.Entry known = catalog.find(name);
        String why = known != null && known.createdByTool()
                // retention deletes a release's journal entry with its folder: this one went another way
                ? "its folder " + path + " no longer exists (deleted outside this tool)"
                : known != null || catalog.wasReplaced(name)
                        ? "its folder " + path + " no longer exists (deleted by retention, or by hand)"
                        : "there is no folder " + path;
        return new DeployException("release " + name + " cannot be rolled back to on " + layout.host() + ": " + why
                + "; releases there: " + catalog.existing() + "; name one with "
                + words.name(Vocabulary.Setting.ROLLBACK_TO));
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
