package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.HostDeployment;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ConnectionLostException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a deploy has done so far, stage by stage: the result it reports when it ends, and when it fails, the state
 * it leaves (which stage failed, what production serves on each host, which invalidation batches are pending) for
 * the reports and for the one error line the user reads.
 */
final class DeployProgress {
    private final DeployRequest request;
    private final String release;
    private final long started = System.nanoTime();
    final Timings timings = new Timings();
    private String stage = "prepare";
    private boolean changing;
    private List<HostDeployment> hosts = List.of();
    private ChangeSet changes;
    private KeptFiles kept;
    private Manifest build;
    private String deployId;
    private CloudFrontInvalidation invalidation;
    private EdgeResult edge;

    DeployProgress(DeployRequest request, String release) {
        this.request = request;
        this.release = release;
    }

    /** The stage now running, as the report names a failed one. */
    void stage(String name) {
        stage = name;
    }

    /** From here on the servers are written to: a failure leaves something for a re-run to finish. */
    void changing() {
        changing = true;
    }

    void hosts(List<HostDeployment> connected) {
        hosts = connected;
    }

    List<HostDeployment> hosts() {
        return hosts;
    }

    void diffed(ChangeSet changeSet, Manifest buildManifest) {
        changes = changeSet;
        build = buildManifest;
    }

    void kept(KeptFiles files) {
        kept = files;
    }

    void deployId(String id) {
        deployId = id;
    }

    void invalidation(CloudFrontInvalidation stage) {
        invalidation = stage;
    }

    void edge(EdgeResult checked) {
        edge = checked;
    }

    /** The result of a run that got to its end. */
    DeployResult result(InvalidationResult invalidated) {
        timings.record("total", (System.nanoTime() - started) / 1_000_000);
        return result(invalidated, DeployResult.Outcome.of(request.dryRun() ? "dry run" : "deployed"));
    }

    /**
     * The failure as the user is told it: the cause, then (once servers were written to) what production serves
     * and what is pending, and that running the same deploy again finishes it. Carries the result the failure
     * report holds.
     */
    DeployFailedException failed(Exception cause) {
        timings.record("total", (System.nanoTime() - started) / 1_000_000);
        String message = cause instanceof DeployException ? cause.getMessage() : String.valueOf(cause);
        InvalidationResult partial = invalidation == null ? null : invalidation.partial();
        if (cause instanceof DeployException d && !d.resumable()) {
            // another deploy took a lock over: what this run saw of the other hosts may be out of date too
            hosts.forEach(HostDeployment::recheckLock);
        }
        ConnectionLostException lost = lost(cause);
        if (lost != null) {
            // one line for a dead link, whatever call noticed it (an SFTP write, a command's missing exit status)
            message = lost.during(stage) + "; " + (changing && !hosts.isEmpty() ? pointsAt() : "production was not"
                    + " changed") + pending(partial) + "; " + request.vocabulary().sameDeployAgain() + " to resume";
        } else if (changing && !hosts.isEmpty()) {
            message += " — " + served() + pending(partial)
                    + (cause instanceof DeployException d && !d.resumable() ? ""
                            : "; run the same deploy again to finish it");
        }
        DeployResult result = result(partial,
                new DeployResult.Outcome(DeployResult.Outcome.FAILED, stage, message));
        return new DeployFailedException(message, result, cause);
    }

    /**
     * The loss of a host's connection behind this failure, or {@code null}: the cause itself, or a connection that
     * died under the run while something else noticed it first (a lock broken by another deploy is no such case).
     */
    private ConnectionLostException lost(Exception cause) {
        if (cause instanceof ConnectionLostException l) {
            return l;
        }
        if (cause instanceof DeployException d && !d.resumable()) {
            return null;
        }
        for (HostDeployment h : hosts) {
            ConnectionLostException l = h.server().lost(cause);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    /** "production still points at r1", "production points at r2 (switched)", or host by host. */
    private String pointsAt() {
        List<String> on = hosts.stream().map(DeployProgress::serves).distinct().toList();
        if (on.size() == 1) {
            return "production " + (hosts.get(0).switched() ? "points at " + on.get(0) + " (switched)"
                    : "still points at " + on.get(0)) + (hosts.size() > 1 ? " on every host" : "");
        }
        StringBuilder s = new StringBuilder("production points at ");
        for (int i = 0; i < hosts.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(serves(hosts.get(i))).append(" on ")
                    .append(hosts.get(i).layout().host());
        }
        return s.toString();
    }

    /** "production serves r2 on every host", "production still serves r1", or host by host. */
    private String served() {
        List<String> on = hosts.stream().map(DeployProgress::serves).distinct().toList();
        if (on.size() == 1) {
            return "production " + (hosts.get(0).switched() ? "serves " : "still serves ") + on.get(0)
                    + (hosts.size() > 1 ? " on every host" : "");
        }
        StringBuilder s = new StringBuilder("production serves ");
        for (int i = 0; i < hosts.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(serves(hosts.get(i))).append(" on ")
                    .append(hosts.get(i).layout().host());
        }
        return s.toString();
    }

    private static String serves(HostDeployment h) {
        if (!h.productionKnown()) {
            return "an unknown release (the connection failed during the switch)";
        }
        return h.production() == null ? "no release" : h.production();
    }

    /** Batches not sent, and (when the run was to wait for them) batches not completed. */
    private String pending(InvalidationResult partial) {
        if (partial == null) {
            return "";
        }
        long unsent = partial.batches().stream().filter(b -> !b.isSubmitted()).count();
        long running = request.invalidation().waitForCompletion()
                ? partial.batches().stream().filter(b -> b.isSubmitted() && !b.isCompleted()).count()
                : 0;
        return batches(unsent, "not sent yet") + batches(running, "still in progress");
    }

    private static String batches(long n, String what) {
        return n == 0 ? "" : "; " + n + " invalidation batch" + (n == 1 ? " is " : "es are ") + what;
    }

    private DeployResult result(InvalidationResult invalidated, DeployResult.Outcome outcome) {
        List<DeployResult.HostResult> results = new ArrayList<>();
        long uploaded = 0;
        for (HostDeployment h : hosts) {
            results.add(new DeployResult.HostResult(h.layout().target().toString(), h.server().transport(),
                    h.previousRelease(), h.seed(), h.filesUploaded(), h.bytesUploaded(), h.state(), h.deleted(),
                    h.production(), h.switched(), h.releases()));
            uploaded += h.bytesUploaded();
        }
        if (hosts.isEmpty()) { // failed before every host was connected: what is known is the targets
            for (SshTarget t : request.targets()) {
                results.add(new DeployResult.HostResult(t.toString(), t.isLocal() ? "local" : "exec", null, "none", 0,
                        0, "not connected", List.of(), null, false));
            }
        }
        Path reportDir = request.reportPath();
        String previous = hosts.isEmpty() ? null : hosts.get(0).previousRelease();
        ChangeSet changeSet = changes != null ? changes : new ChangeSet(List.of(), 0);
        return new DeployResult("deploy", request.source(), request.excludes(), release, previous, results,
                changeSet, build == null ? -1 : build.contentCount(), build == null ? -1 : build.totalBytes(),
                uploaded, request.dryRun(), timings.asMap(), reportDir.resolve(ReportWriter.CHANGES_FILE).toString(),
                reportDir.resolve(ReportWriter.REPORT_FILE).toString(), invalidated,
                request.dryRun() ? null : deployId, Objects.requireNonNull(outcome),
                // a run that failed before its diff kept nothing yet, under the setting it was given
                kept != null ? kept : new KeptFiles(request.keepRemoved(), List.of(), List.of(),
                        request.invalidateExpired()), edge());
    }

    /** What the edge check found, or why there was none. */
    private EdgeResult edge() {
        if (edge != null) {
            return edge;
        }
        String base = request.edge().enabled() ? request.edge().base().toString() : null;
        String why = !request.edge().enabled() ? "not asked for (" + request.vocabulary().name(
                Vocabulary.Setting.VERIFY_URL) + ")" : request.dryRun() ? "dry run" : "the deploy ended before it";
        return EdgeResult.notVerified(base, why);
    }
}
