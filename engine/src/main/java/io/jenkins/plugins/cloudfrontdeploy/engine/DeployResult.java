package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
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
        InvalidationResult invalidation)
        implements Serializable {
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
     * One server's part.
     *
     * @param seed how the release folder was filled from the live one: {@code hard links}, {@code copy},
     *     {@code empty}, or {@code none} (not staged by this run)
     * @param state {@code switched}, {@code dry run}, {@code already switched by a previous run}, or what went wrong
     * @param deletedReleases old releases removed by retention
     */
    public record HostResult(
            String target,
            String transport,
            String previousRelease,
            String seed,
            long filesUploaded,
            long bytesUploaded,
            String state,
            List<String> deletedReleases)
            implements Serializable {}
}
