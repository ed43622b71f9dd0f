package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.Rollback;
import io.jenkins.plugins.cloudfrontdeploy.engine.RollbackRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cloudfront-deploy rollback}: production goes back to an earlier release. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = "Switch the production link back to an earlier release (default: the newest good one before"
                + " the live release), mark the release left behind as bad, and write the changes between the two"
                + " to changes.txt and report.json.")
final class RollbackCommand implements Callable<Integer>, OutputOptions.Holder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "TARGET",
            description = "The production link, as for deploy. Repeat for several servers.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--to", paramLabel = "RELEASE", description = "The release to go back to.")
    String to;

    @Option(names = "--releases-dir", paramLabel = "DIR",
            description = "Folder of the release folders on the server (default: the folder of the link).")
    String releasesDir;

    @Mixin
    LockOptions lock;

    @Option(names = "--verify-remote", description = "Hash both releases on the server instead of trusting the"
            + " manifests stored with them when they were deployed (whose files' sizes and modification times are"
            + " checked first).")
    boolean verifyRemote;

    @Mixin
    SshOptions ssh;

    @Mixin
    InvalidationOptionsMixin invalidation;

    @Mixin
    ReportOptions report;

    @Mixin
    OutputOptions output;

    @Override
    public OutputOptions output() {
        return output;
    }

    @Override
    public Integer call() throws Exception {
        output.apply();
        List<SshTarget> parsed = Arguments.targets(targets, releasesDir);
        RollbackRequest request = Arguments.check(() -> new RollbackRequest(parsed, Arguments.release(to),
                ssh.settings(), releasesDir, report.reportDir, lock.lockTimeout(), lock.breakLock, verifyRemote,
                invalidation.options()));
        var out = spec.commandLine().getOut();
        try (ConsoleListener listener = ConsoleListener.create(out, spec.commandLine().getErr(), output.quiet)) {
            DeployResult result = new Rollback().run(request, listener);
            listener.close();
            if (!output.quiet) {
                Summary.print(out, result);
            }
        }
        return Main.OK;
    }
}
