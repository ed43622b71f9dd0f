package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a deploy or a rollback: which release went live in place of which, on each host, what changed
 * between the two (the paths CloudFront must forget), what was sent, how long each stage took and where the reports
 * are. Serializable with JDK types only, so it can cross from a Jenkins agent to the controller.
 *
 * @param operation {@code deploy} or {@code rollback}
 * @param previousRelease the release that was live before (on the first host), {@code null} on a first deploy
 * @param bytesUploaded file bytes sent to all hosts together
 * @param invalidation the CloudFront plan and batches, or {@code null} when no distribution was given
 * @param deployId names this deploy of the release across its re-runs (in every caller reference it sent), or
 *     {@code null} for a rollback or a dry run
 * @param outcome how the run ended; a failed run's result is what its reports say
 * @param kept files the build removed that the new release still serves, and kept ones that went now
 * @param edge what the edge served once the invalidations completed, or why it was not checked; {@code null} for a
 *     rollback
 */
public record DeployResult(
        String operation,
        String source,
        List<String> excludes,
        String release,
        String previousRelease,
        List<HostResult> hosts,
        ChangeSet changes,
        long sourceFiles,
        long sourceBytes,
        long bytesUploaded,
        boolean dryRun,
        Map<String, Long> timings,
        String changesFile,
        String reportFile,
        InvalidationResult invalidation,
        String deployId,
        Outcome outcome,
        KeptFiles kept,
        EdgeResult edge)
        implements Serializable {
    public DeployResult {
        kept = kept != null ? kept : KeptFiles.NONE;
    }

    /** A result that keeps no removed file and checked no edge (a rollback). */
    public DeployResult(String operation, String source, List<String> excludes, String release,
            String previousRelease, List<HostResult> hosts, ChangeSet changes, long sourceFiles, long sourceBytes,
            long bytesUploaded, boolean dryRun, Map<String, Long> timings, String changesFile, String reportFile,
            InvalidationResult invalidation, String deployId, Outcome outcome) {
        this(operation, source, excludes, release, previousRelease, hosts, changes, sourceFiles, sourceBytes,
                bytesUploaded, dryRun, timings, changesFile, reportFile, invalidation, deployId, outcome, null, null);
    }

    /** The result of a run that ended as {@code outcome}. */
    public DeployResult withOutcome(Outcome outcome) {
        return new DeployResult(operation, source, excludes, release, previousRelease, hosts, changes, sourceFiles,
                sourceBytes, bytesUploaded, dryRun, timings, changesFile, reportFile, invalidation, deployId, outcome,
                kept, edge);
    }

    /** URLs the edge served the build's bytes for (0 when the edge was not checked): for the trend. */
    public long edgeOk() {
        return edge == null ? 0 : edge.ok();
    }

    /** URLs the edge served other bytes for once the check's timeout was over (0 when not checked). */
    public long edgeStale() {
        return edge == null ? 0 : edge.stale();
    }

    /** URLs the edge answered with an error or not at all (0 when not checked). */
    public long edgeMissing() {
        return edge == null ? 0 : edge.missing();
    }

    public long added() {
        return changes.count(ChangeKind.ADDED);
    }

    public long modified() {
        return changes.count(ChangeKind.MODIFIED);
    }

    public long removed() {
        return changes.count(ChangeKind.REMOVED);
    }

    /**
     * How a run ended.
     *
     * @param state {@code deployed}, {@code rolled back}, {@code dry run} or {@code failed}
     * @param failedStage the stage that failed ({@link Stage#label()}), {@code null} unless failed
     * @param error the failure as the user was told it, {@code null} unless failed
     */
    public record Outcome(String state, String failedStage, String error) implements Serializable {
        public static final String FAILED = "failed";

        public static Outcome of(String state) {
            return new Outcome(state, null, null);
        }

        public boolean failed() {
            return FAILED.equals(state);
        }
    }

    /**
     * One server's part.
     *
     * @param seed how the release folder was filled from the live one: {@code hard links}, {@code copy},
     *     {@code empty}, or {@code none} (not staged by this run)
     * @param state {@code switched}, {@code dry run}, {@code already switched by a previous run}, or what went wrong
     * @param deletedReleases old releases removed by retention
     * @param production the release production serves on this host after the run, {@code null} when not known
     *     (the connection failed during the switch) or when there is none
     * @param switched whether production serves the run's release on this host
     * @param releases the release folders on this host once the run ended, newest first (live, previous, bad,
     *     kept), as far as they could be read; empty when not read (a failed run, or the server refused)
     */
    public record HostResult(
            String target,
            String transport,
            String previousRelease,
            String seed,
            long filesUploaded,
            long bytesUploaded,
            String state,
            List<String> deletedReleases,
            String production,
            boolean switched,
            List<ReleaseCatalog.Entry> releases)
            implements Serializable {
        public HostResult {
            releases = releases == null ? List.of() : List.copyOf(releases);
        }

        /** A host whose releases were not read. */
        public HostResult(String target, String transport, String previousRelease, String seed, long filesUploaded,
                long bytesUploaded, String state, List<String> deletedReleases, String production,
                boolean switched) {
            this(target, transport, previousRelease, seed, filesUploaded, bytesUploaded, state, deletedReleases,
                    production, switched, List.of());
        }
    }
}
