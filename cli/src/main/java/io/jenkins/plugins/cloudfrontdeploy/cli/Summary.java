package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
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
        }
        out.println("reports: " + r.changesFile() + ", " + r.reportFile());
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
