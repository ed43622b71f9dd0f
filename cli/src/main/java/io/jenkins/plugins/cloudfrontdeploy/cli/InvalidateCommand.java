package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.ManualInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cloudfront-deploy invalidate}: invalidate paths given by hand, planned and batched as a deploy does. */
@Command(
        name = "invalidate",
        mixinStandardHelpOptions = true,
        description = "Invalidate paths in CloudFront: one per line, or the changes.txt of a report, planned"
                + " (wildcards where they bill less), batched within CloudFront's limits and followed with --wait.")
final class InvalidateCommand implements Callable<Integer>, OutputOptions.Holder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--paths-from", paramLabel = "FILE", required = true,
            description = "File with the paths, or - for standard input.")
    String pathsFrom;

    @Option(names = "--source", paramLabel = "DIR", description = "The site's files: lets --mode auto count what a"
            + " wildcard would also clear.")
    String source;

    @Option(names = "--reference", paramLabel = "KEY", description = "Names this invalidation (e.g. a build tag): run"
            + " again with the same key and paths, CloudFront returns the same invalidations, billed once.")
    String reference;

    @Option(names = "--dry-run", description = "Print the plan and its cost; make no AWS call.")
    boolean dryRun;

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
        List<String> lines;
        if (pathsFrom.equals("-")) {
            lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList();
        } else {
            Path file = Path.of(pathsFrom);
            if (!Files.isRegularFile(file)) {
                throw new Main.UsageError("--paths-from " + pathsFrom + " is not a readable file; give a file of"
                        + " paths, one per line, or - for standard input");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        var out = spec.commandLine().getOut();
        try (ConsoleListener listener = ConsoleListener.create(out, spec.commandLine().getErr(), output.quiet)) {
            InvalidationResult result = new ManualInvalidation().run(new ManualInvalidation.Request(lines,
                    pathsFrom.equals("-") ? "standard input" : pathsFrom, source, invalidation.options(), reference,
                    report.reportDir, dryRun), listener);
            listener.close();
            if (!output.quiet) {
                Summary.print(out, result, dryRun);
            }
        }
        return Main.OK;
    }
}
