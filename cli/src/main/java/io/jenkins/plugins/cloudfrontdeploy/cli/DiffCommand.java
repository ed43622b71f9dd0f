package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.ChangeDetection;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cloudfront-deploy diff}: what a deploy of the build would change in the live release. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "List the files added, modified and removed between a build folder and the live release behind"
                + " the production link, and write changes.txt and report.json.")
final class DiffCommand implements Callable<Integer>, OutputOptions.Holder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "DIR", description = "The build output folder.")
    String source;

    @Option(names = "--target", required = true, paramLabel = "TARGET",
            description = "ssh://user@host[:port]/abs/path/production, or an absolute path on this machine.")
    String target;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave matching source paths out (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--verify-remote", description = "Hash the live release on the server instead of trusting the"
            + " manifest stored with it when it was deployed (whose files' sizes and modification times are checked"
            + " first).")
    boolean verifyRemote;

    @Mixin
    SshOptions ssh;

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
        boolean quiet = output.quiet;
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        DiffRequest request = new DiffRequest(source, Arguments.target(target), excludes, ssh.settings(),
                report.reportDir, verifyRemote);
        try (ConsoleListener listener = ConsoleListener.create(out, err, quiet)) {
            DiffResult result = new ChangeDetection().run(request, listener);
            listener.close();
            if (!quiet) {
                Summary.print(out, result);
            }
        }
        return Main.OK;
    }
}
