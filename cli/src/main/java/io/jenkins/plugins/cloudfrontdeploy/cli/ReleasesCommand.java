package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.PartialReleases;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.RollbackJournal;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Servers;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cloudfront-deploy releases}: what is on a server, newest first. */
@Command(
        name = "releases",
        mixinStandardHelpOptions = true,
        description = "List the releases on a server, newest first: which is live, which rollback would choose,"
                + " which are bad, which are missing (their folder is gone), when each was deployed and how many"
                + " files it has. With --prune-partial, first remove the partial releases failed deploys left.")
final class ReleasesCommand implements Callable<Integer>, OutputOptions.Holder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "TARGET", description = "The production link.")
    String target;

    @Option(names = "--releases-dir", paramLabel = "DIR",
            description = "Folder of the release folders on the server (default: the folder of the link).")
    String releasesDir;

    @Option(names = "--prune-partial", description = "Remove the release folders this tool created whose deploy never"
            + " made them live (the partial copy a failed deploy left, e.g. on a full disk), holding the deploy"
            + " lock; never the live release, the one rollback would choose, or any release that was ever live.")
    boolean prunePartial;

    @Mixin
    LockOptions lock;

    @Mixin
    SshOptions ssh;

    @Mixin
    OutputOptions output;

    @Override
    public OutputOptions output() {
        return output;
    }

    @Override
    public Integer call() throws Exception {
        output.apply();
        SshTarget t = Arguments.targets(List.of(target), releasesDir).get(0);
        var out = spec.commandLine().getOut();
        try (ConsoleListener listener = ConsoleListener.create(out, spec.commandLine().getErr(), true);
                Server server = Servers.open(t, ssh.settings(), listener)) {
            SiteLayout layout = SiteLayout.of(t, releasesDir);
            List<String> pruned = prunePartial
                    ? PartialReleases.prune(server, layout, lock.lockTimeout(), lock.breakLock, listener,
                            Vocabulary.CLI)
                    : List.of();
            ReleaseCatalog catalog = ReleaseCatalog.read(server, layout,
                    server.reader().list(ProgressListener.NONE).release());
            List<ReleaseCatalog.Entry> releases = catalog.entries();
            listener.close();
            if (prunePartial) {
                out.println(pruned.isEmpty() ? "no partial release to remove"
                        : "removed " + pruned.size() + " partial release" + (pruned.size() == 1 ? "" : "s") + ": "
                                + String.join(", ", pruned));
            }
            out.println(String.format(Locale.ROOT, "%-20s %-10s %-24s %10s %10s", "RELEASE", "STATE", "DEPLOYED",
                    "FILES", "SIZE"));
            for (ReleaseCatalog.Entry e : releases) {
                String state = e.live() ? "live" : e.missing() ? "missing" : e.bad() ? "bad"
                        : e.rollbackTarget() ? "previous" : "";
                String deployed = e.deployedAt() != null ? e.deployedAt().toString()
                        : e.createdByTool() ? "never switched" : e.missing() ? "unknown" : "not by this tool";
                out.println(String.format(Locale.ROOT, "%-20s %-10s %-24s %10s %10s", e.name(), state, deployed,
                        e.files() < 0 ? "?" : String.format(Locale.ROOT, "%,d", e.files()),
                        e.bytes() < 0 ? "?" : Summary.bytes(e.bytes())));
            }
            if (releases.isEmpty()) {
                out.println("(no release yet)");
            }
            String note = withoutTo(catalog);
            if (note != null) {
                out.println("rollback without --to: " + note);
            }
        }
        return Main.OK;
    }

    /** Why {@code rollback} without {@code --to} would choose no release, or {@code null} when it would. */
    private static String withoutTo(ReleaseCatalog catalog) {
        RollbackJournal.Entry done = catalog.finishedRollback();
        ReleaseCatalog.Entry gone = catalog.missingDefault();
        if (done != null) {
            return "nothing to do, production is on " + done.to() + " since the rollback from " + done.from() + " "
                    + done.whenFinished() + "; name a release with --to to go further back";
        }
        if (gone != null) {
            return "refused, the folder of " + gone.name() + " (the release the live one replaced) is gone; name a"
                    + " release with --to";
        }
        if (catalog.rollbackTarget() == null && !catalog.entries().isEmpty()) {
            return "refused, there is no earlier good release; name one with --to";
        }
        return null;
    }
}
