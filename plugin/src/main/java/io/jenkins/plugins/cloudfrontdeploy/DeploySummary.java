package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.KeptFiles;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeUrl;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.Estimate;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;

/**
 * What {@code cloudfrontDeploy} returns to the script, and what the build page shows: plain values, readable from a
 * sandboxed script (jenkinsci/junit-plugin: TestResultSummary is the model). Made on the agent from the engine's
 * result, so only this class and JDK strings and lists cross the remoting channel. A failed deploy has one too: the
 * build page shows what it left (the failed stage, what production serves on each host, the batches not sent).
 */
public final class DeploySummary implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The build page lists at most this many changes; {@code changes.txt} has them all. */
    static final int MAX_CHANGES_SHOWN = 200;
    static final String ROLLBACK = "rollback";
    /** Release folders kept per host; retention keeps 5 by default. */
    static final int MAX_RELEASES_SHOWN = 20;

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
    // since the failure reports (issue 12); null in the build.xml of older builds, which the getters allow for
    private final String outcome;
    private final String failedStage;
    private final String error;
    private final List<Host> hosts;
    // since the grace period and the edge check (issue 15); null in the build.xml of older builds
    private final List<Kept> removedKept;
    private final List<String> expired;
    private final boolean expiredInvalidated;
    private final Edge edge;

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

    /** One server's part: what production serves there once the run ended, and the release folders it keeps. */
    public static final class Host implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String target;
        private final String production;
        private final boolean switched;
        private final String state;
        private final List<Release> releases;

        Host(DeployResult.HostResult h) {
            this.target = h.target();
            this.production = h.production();
            this.switched = h.switched();
            this.state = h.state();
            this.releases = new ArrayList<>();
            h.releases().stream().limit(MAX_RELEASES_SHOWN).forEach(e -> releases.add(new Release(e)));
        }

        @Whitelisted
        public String getTarget() {
            return target;
        }

        /** The release production serves there; {@code null} when none, or not known (the switch was cut off). */
        @Whitelisted
        public String getProduction() {
            return production;
        }

        /** Whether production serves this deploy's release there. */
        @Whitelisted
        public boolean isSwitched() {
            return switched;
        }

        @Whitelisted
        public String getState() {
            return state;
        }

        /** Newest first; empty when not read (a failed run, a dry run of a first deploy, an SFTP-only account). */
        @Whitelisted
        public List<Release> getReleases() {
            return releases == null ? List.of() : List.copyOf(releases);
        }
    }

    /** A file the build removed that the new release still serves (see {@code keepRemovedReleases}). */
    public static final class Kept implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final int until;

        Kept(KeptFiles.Kept k) {
            this.path = k.path();
            this.until = k.until();
        }

        @Whitelisted
        public String getPath() {
            return path;
        }

        /** The later deploy that removes it: 1 is the next. */
        @Whitelisted
        public int getUntil() {
            return until;
        }
    }

    /** What the edge served once the invalidations completed (see {@code verifyUrl}). */
    public static final class Edge implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String base;
        private final boolean verified;
        private final String reason;
        private final long ok;
        private final long stale;
        private final long missing;
        private final List<EdgeRow> urls;

        Edge(EdgeResult e) {
            this.base = e.base();
            this.verified = e.verified();
            this.reason = e.reason();
            this.ok = e.ok();
            this.stale = e.stale();
            this.missing = e.missing();
            this.urls = new ArrayList<>();
            // the failing URLs first: they are what the page is read for
            Stream.concat(e.failing().stream(), e.urls().stream().filter(EdgeUrl::ok)).limit(MAX_CHANGES_SHOWN)
                    .forEach(u -> urls.add(new EdgeRow(u)));
        }

        /** The address the URLs were fetched under; {@code null} when no check was asked for. */
        @Whitelisted
        public String getBase() {
            return base;
        }

        @Whitelisted
        public boolean isVerified() {
            return verified;
        }

        /** Why the URLs were not fetched, {@code null} when they were. */
        @Whitelisted
        public String getReason() {
            return reason;
        }

        @Whitelisted
        public long getOk() {
            return ok;
        }

        @Whitelisted
        public long getStale() {
            return stale;
        }

        @Whitelisted
        public long getMissing() {
            return missing;
        }

        /** Stale and missing URLs first, then the others: the first {@value #MAX_CHANGES_SHOWN}. */
        @Whitelisted
        public List<EdgeRow> getUrls() {
            return List.copyOf(urls);
        }
    }

    /** One URL's last answer at the edge. */
    public static final class EdgeRow implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String url;
        private final String path;
        private final String status;
        private final int httpStatus;
        private final String age;
        private final String xCache;
        private final String etag;
        private final int attempts;
        private final String detail;

        EdgeRow(EdgeUrl u) {
            this.url = u.url();
            this.path = u.path();
            this.status = u.status();
            this.httpStatus = u.httpStatus();
            this.age = u.age();
            this.xCache = u.xCache();
            this.etag = u.etag();
            this.attempts = u.attempts();
            this.detail = u.detail();
        }

        @Whitelisted
        public String getUrl() {
            return url;
        }

        /** The build's file it must serve. */
        @Whitelisted
        public String getPath() {
            return path;
        }

        /** {@code ok}, {@code stale} or {@code missing}. */
        @Whitelisted
        public String getStatus() {
            return status;
        }

        /** 0 when there was no answer. */
        @Whitelisted
        public int getHttpStatus() {
            return httpStatus;
        }

        @Whitelisted
        public String getAge() {
            return age;
        }

        @Whitelisted
        public String getXCache() {
            return xCache;
        }

        @Whitelisted
        public String getEtag() {
            return etag;
        }

        @Whitelisted
        public int getAttempts() {
            return attempts;
        }

        /** Why it is not ok, in words; {@code null} when it is. */
        @Whitelisted
        public String getDetail() {
            return detail;
        }
    }

    /** A release folder on a server, as the deploy left it. */
    public static final class Release implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final boolean live;
        private final boolean previous;
        private final boolean bad;
        private final String deployedAt;

        Release(ReleaseCatalog.Entry e) {
            this.name = e.name();
            this.live = e.live();
            this.previous = e.rollbackTarget();
            this.bad = e.bad();
            this.deployedAt = e.deployedAt() == null ? null : e.deployedAt().toString();
        }

        @Whitelisted
        public String getName() {
            return name;
        }

        @Whitelisted
        public boolean isLive() {
            return live;
        }

        /** What a rollback would go back to. */
        @Whitelisted
        public boolean isPrevious() {
            return previous;
        }

        /** Rolled back from. */
        @Whitelisted
        public boolean isBad() {
            return bad;
        }

        /** When production was switched to it (ISO-8601), {@code null} if never, or not by this tool. */
        @Whitelisted
        public String getDeployedAt() {
            return deployedAt;
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
        this.outcome = r.outcome().state();
        this.failedStage = r.outcome().failedStage();
        this.error = r.outcome().error();
        this.hosts = new ArrayList<>();
        r.hosts().forEach(h -> hosts.add(new Host(h)));
        this.removedKept = new ArrayList<>();
        r.kept().removedKept().stream().limit(MAX_CHANGES_SHOWN).forEach(k -> removedKept.add(new Kept(k)));
        this.expired = new ArrayList<>(r.kept().expired().stream().limit(MAX_CHANGES_SHOWN).toList());
        this.expiredInvalidated = r.kept().expiredInvalidated();
        this.edge = r.edge() == null ? null : new Edge(r.edge());
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

    /** {@code deployed}, {@code dry run} or {@code failed}. */
    @Whitelisted
    public String getOutcome() {
        return outcome != null ? outcome : dryRun ? "dry run" : "deployed";
    }

    @Whitelisted
    public boolean isFailed() {
        return DeployResult.Outcome.FAILED.equals(outcome);
    }

    /** The stage that failed (e.g. {@code invalidate}), {@code null} unless failed. */
    @Whitelisted
    public String getFailedStage() {
        return failedStage;
    }

    /** The failure as the log said it (with what production serves and what is pending), {@code null} unless failed. */
    @Whitelisted
    public String getError() {
        return error;
    }

    /** Each server's part, in target order. */
    @Whitelisted
    public List<Host> getHosts() {
        return hosts == null ? List.of() : List.copyOf(hosts);
    }

    /** Invalidation batches planned and journaled but not sent (a re-run of the same deploy sends them). */
    @Whitelisted
    public long getPendingBatches() {
        return dryRun ? 0 : batches.stream().filter(b -> b.getId() == null).count();
    }

    /** Files the build removed that the new release still serves: the first {@value #MAX_CHANGES_SHOWN}. */
    @Whitelisted
    public List<Kept> getRemovedKept() {
        return removedKept == null ? List.of() : List.copyOf(removedKept);
    }

    /** Kept files this deploy let go: the first {@value #MAX_CHANGES_SHOWN}. */
    @Whitelisted
    public List<String> getExpired() {
        return expired == null ? List.of() : List.copyOf(expired);
    }

    /** Whether the expired files were invalidated ({@code invalidateExpired}). */
    @Whitelisted
    public boolean isExpiredInvalidated() {
        return expiredInvalidated;
    }

    /** What the edge served; {@code null} for a rollback and in builds from before the check. */
    @Whitelisted
    @CheckForNull
    public Edge getEdge() {
        return edge;
    }

    /** URLs the edge served the build's bytes for; 0 when not checked. */
    @Whitelisted
    public long getEdgeOk() {
        return edge == null ? 0 : edge.getOk();
    }

    /** URLs the edge still served other bytes for when the check ended; 0 when not checked. */
    @Whitelisted
    public long getEdgeStale() {
        return edge == null ? 0 : edge.getStale();
    }

    /** URLs the edge answered with an error or not at all; 0 when not checked. */
    @Whitelisted
    public long getEdgeMissing() {
        return edge == null ? 0 : edge.getMissing();
    }

    @Override
    public String toString() {
        if (isFailed()) {
            return (isRollback() ? "rollback to release " : "release ") + release + " failed in " + failedStage + ": "
                    + error;
        }
        if (isRollback()) {
            return "rolled back to release " + release + " (from " + previousRelease + "): " + added + " added, "
                    + modified + " modified, " + removed + " removed; " + billedPaths + " invalidation paths billed";
        }
        return "release " + release + " (" + (previousRelease == null ? "first release" : "was " + previousRelease)
                + "): " + added + " added, " + modified
                + " modified, " + removed + " removed; " + billedPaths + " invalidation paths billed";
    }
}
