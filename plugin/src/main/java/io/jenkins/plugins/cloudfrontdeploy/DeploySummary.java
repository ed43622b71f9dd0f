package io.jenkins.plugins.cloudfrontdeploy;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.Estimate;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;

/**
 * What {@code cloudfrontDeploy} returns to the script, and what the build page shows: plain values, readable from a
 * sandboxed script (jenkinsci/junit-plugin: TestResultSummary is the model). Made on the agent from the engine's
 * result, so only this class and JDK strings and lists cross the remoting channel.
 */
public final class DeploySummary implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The build page lists at most this many changes; {@code changes.txt} has them all. */
    static final int MAX_CHANGES_SHOWN = 200;
    static final String ROLLBACK = "rollback";

    /** {@code deploy} or {@code rollback}; {@code null} in summaries kept from before rollbacks had a page. */
    private final String operation;
    private final String release;
    private final String previousRelease;
    private final long added;
    private final long modified;
    private final long removed;
    private final long unchanged;
    private final boolean dryRun;
    private final List<String> changes;
    private final List<Batch> batches;
    private final long billedPaths;
    private final long filesModePaths;
    private final String estimatedCost;
    private final String changesFile;
    private final String reportFile;

    /** One invalidation batch as the build page lists it (a class, not a record: build.xml is written by XStream). */
    public static final class Batch implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String distribution;
        private final int batch;
        private final int of;
        private final String id;
        private final String status;
        private final int paths;

        Batch(InvalidationRecord r) {
            this.distribution = r.distribution();
            this.batch = r.batch();
            this.of = r.batches();
            this.id = r.id();
            this.status = r.status();
            this.paths = r.paths().size();
        }

        public String getDistribution() {
            return distribution;
        }

        public int getBatch() {
            return batch;
        }

        public int getOf() {
            return of;
        }

        /** CloudFront's invalidation id, or {@code null} in a dry run. */
        public String getId() {
            return id;
        }

        public String getStatus() {
            return status;
        }

        public int getPaths() {
            return paths;
        }
    }

    DeploySummary(DeployResult r, String changesFile, String reportFile) {
        this.operation = r.operation();
        this.release = r.release();
        this.previousRelease = r.previousRelease();
        this.added = r.added();
        this.modified = r.modified();
        this.removed = r.removed();
        this.unchanged = r.changes().unchanged();
        this.dryRun = r.dryRun();
        this.changes = new ArrayList<>();
        r.changes().content().stream().limit(MAX_CHANGES_SHOWN)
                .forEach(c -> changes.add(c.kind().letter() + " " + c.path()));
        this.batches = new ArrayList<>();
        InvalidationResult inv = r.invalidation();
        if (inv != null) {
            for (InvalidationRecord b : inv.batches()) {
                batches.add(new Batch(b));
            }
            Estimate chosen = inv.plan().estimates().get(inv.plan().mode());
            this.billedPaths = inv.billedPaths();
            this.filesModePaths = inv.plan().estimates().get(PlanMode.FILES).billedPaths();
            this.estimatedCost = chosen.cost().toPlainString();
        } else {
            this.billedPaths = 0;
            this.filesModePaths = 0;
            this.estimatedCost = "0";
        }
        this.changesFile = changesFile;
        this.reportFile = reportFile;
    }

    /** {@code deploy}, or {@code rollback} for {@code cloudfrontRollback}. */
    @Whitelisted
    public String getOperation() {
        return operation == null ? "deploy" : operation;
    }

    public boolean isRollback() {
        return ROLLBACK.equals(operation);
    }

    /** The release production serves now: the one deployed, or the one rolled back to. */
    @Whitelisted
    public String getRelease() {
        return release;
    }

    @Whitelisted
    public String getPreviousRelease() {
        return previousRelease;
    }

    @Whitelisted
    public long getAdded() {
        return added;
    }

    @Whitelisted
    public long getModified() {
        return modified;
    }

    @Whitelisted
    public long getRemoved() {
        return removed;
    }

    @Whitelisted
    public long getUnchanged() {
        return unchanged;
    }

    @Whitelisted
    public boolean isDryRun() {
        return dryRun;
    }

    /** {@code A path}, {@code M path}, {@code D path}: the first {@value #MAX_CHANGES_SHOWN}. */
    @Whitelisted
    public List<String> getChanges() {
        return List.copyOf(changes);
    }

    @Whitelisted
    public List<String> getInvalidationIds() {
        return batches.stream().filter(b -> b.getId() != null).map(Batch::getId).toList();
    }

    public List<Batch> getBatches() {
        return List.copyOf(batches);
    }

    /** Paths billed (before the free tier) on all distributions. */
    @Whitelisted
    public long getBilledPaths() {
        return billedPaths;
    }

    /** What one path per URL would have billed, per distribution: the saving's baseline. */
    @Whitelisted
    public long getFilesModePaths() {
        return filesModePaths;
    }

    /** USD, after the monthly free tier as far as this run knows it. */
    @Whitelisted
    public String getEstimatedCost() {
        return estimatedCost;
    }

    /** Workspace path of {@code changes.txt}; also archived as an artifact. */
    @Whitelisted
    public String getChangesFile() {
        return changesFile;
    }

    @Whitelisted
    public String getReportFile() {
        return reportFile;
    }

    @Override
    public String toString() {
        if (isRollback()) {
            return "rolled back to release " + release + " (from " + previousRelease + "): " + added + " added, "
                    + modified + " modified, " + removed + " removed; " + billedPaths + " invalidation paths billed";
        }
        return "release " + release + " (" + (previousRelease == null ? "first release" : "was " + previousRelease)
                + "): " + added + " added, " + modified
                + " modified, " + removed + " removed; " + billedPaths + " invalidation paths billed";
    }
}
