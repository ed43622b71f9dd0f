package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LiveRelease;
import java.io.Serializable;
import java.util.Map;

/**
 * The outcome of a diff: what changed, against which release, how it was reached, how long it took and where the
 * reports are. Serializable with JDK types only, so it can cross from a Jenkins agent to the controller.
 *
 * @param transport how the live release was read: {@code exec}, {@code sftp} or {@code local}
 * @param sourceFiles files and links in the new build
 * @param sourceBytes bytes of the files in the new build
 */
public record DiffResult(
        DiffRequest request,
        LiveRelease liveRelease,
        String transport,
        ChangeSet changes,
        long sourceFiles,
        long sourceBytes,
        Map<String, Long> timings,
        String changesFile,
        String reportFile)
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
}
