package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.Estimate;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import java.io.PrintWriter;
import java.util.Locale;

/** The few lines a command ends with: counts, bytes, time, and where the reports are. */
final class Summary {
    private Summary() {}

    static void print(PrintWriter out, DiffResult r) {
        String release = r.liveRelease().releaseName() == null
                ? "no live release (first deploy)"
                : "live release " + r.liveRelease().releaseName();
        out.println(String.format(Locale.ROOT, "%s (%s): %,d added, %,d modified, %,d removed, %,d unchanged",
                release, r.transport(), r.added(), r.modified(), r.removed(), r.changes().unchanged()));
        long upload = r.changes().bytes(ChangeKind.ADDED) + r.changes().bytes(ChangeKind.MODIFIED);
        out.println(String.format(Locale.ROOT, "upload %s of %s; took %.1f s", bytes(upload), bytes(r.sourceBytes()),
                r.timings().getOrDefault("total", 0L) / 1000.0));
        out.println("reports: " + r.changesFile() + ", " + r.reportFile());
    }

    static void print(PrintWriter out, DeployResult r) {
        String was = r.previousRelease() == null ? "no release before" : "was " + r.previousRelease();
        String verb = r.dryRun() ? "would go live" : r.operation().equals("rollback") ? "is live again" : "is live";
        out.println(String.format(Locale.ROOT, "release %s %s on %d host%s (%s): %,d added, %,d modified, %,d removed,"
                + " %,d unchanged", r.release(), verb, r.hosts().size(), r.hosts().size() == 1 ? "" : "s", was,
                r.added(), r.modified(), r.removed(), r.changes().unchanged()));
        for (DeployResult.HostResult h : r.hosts()) {
            out.println("  " + h.target() + ": " + h.state()
                    + (h.seed().equals("none") ? "" : ", seeded by " + h.seed())
                    + (h.filesUploaded() > 0 ? ", " + h.filesUploaded() + " files uploaded" : "")
                    + (h.deletedReleases().isEmpty() ? "" : ", deleted " + String.join(", ", h.deletedReleases())));
        }
        if (r.operation().equals("deploy")) {
            long upload = r.changes().bytes(ChangeKind.ADDED) + r.changes().bytes(ChangeKind.MODIFIED);
            out.println(String.format(Locale.ROOT, "%s %s of %s; took %.1f s", r.dryRun() ? "would upload" : "uploaded",
                    bytes(r.dryRun() ? upload : r.bytesUploaded()), bytes(r.sourceBytes()),
                    r.timings().getOrDefault("total", 0L) / 1000.0));
            if (!r.kept().removedKept().isEmpty() || !r.kept().expired().isEmpty()) {
                out.println(String.format(Locale.ROOT, "removed files still served: %,d (not invalidated); expired"
                        + " now: %,d%s", r.kept().removedKept().size(), r.kept().expired().size(),
                        r.kept().expired().isEmpty() ? "" : r.kept().expiredInvalidated() ? " (invalidated)"
                                : " (not invalidated)"));
            }
        }
        if (r.invalidation() != null) {
            print(out, r.invalidation(), r.dryRun());
        }
        if (r.edge() != null && r.edge().verified()) {
            out.println(String.format(Locale.ROOT, "edge %s: %,d ok, %,d stale, %,d missing", r.edge().base(),
                    r.edgeOk(), r.edgeStale(), r.edgeMissing()));
        }
        out.println("reports: " + r.changesFile() + ", " + r.reportFile());
    }

    /** Billed paths, what per-file and {@code /*} would have cost, and each batch. */
    static void print(PrintWriter out, InvalidationResult inv, boolean dryRun) {
        Estimate chosen = inv.plan().estimates().get(inv.plan().mode());
        Estimate files = inv.plan().estimates().get(PlanMode.FILES);
        Estimate all = inv.plan().estimates().get(PlanMode.ALL);
        long distributions = inv.batches().stream().map(InvalidationRecord::distribution).distinct().count();
        out.println(String.format(Locale.ROOT, "invalidation (%s): %,d path%s %s for %,d URL%s on %d distribution%s,"
                + " estimated $%s; one path per URL: %,d paths ($%s); /*: 1 path clearing %,d unchanged files",
                inv.plan().mode().name().toLowerCase(Locale.ROOT), inv.billedPaths(),
                inv.billedPaths() == 1 ? "" : "s", dryRun ? "would be billed" : "billed",
                inv.plan().urlsToInvalidate(), inv.plan().urlsToInvalidate() == 1 ? "" : "s", distributions,
                distributions == 1 ? "" : "s", chosen.cost(), files.billedPaths(), files.cost(),
                all.collateralFiles()));
        if (inv.usedThisMonth() >= 0) {
            out.println(String.format(Locale.ROOT, "  %,d paths already submitted this month", inv.usedThisMonth()));
        }
        for (InvalidationRecord b : inv.batches()) {
            out.println("  " + b.label() + (b.id() == null ? "" : ": " + b.id() + " " + b.status()));
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
