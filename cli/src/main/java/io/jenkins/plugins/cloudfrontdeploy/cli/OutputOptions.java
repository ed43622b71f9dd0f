package io.jenkins.plugins.cloudfrontdeploy.cli;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/** How much a command prints: the same two options on every subcommand. */
final class OutputOptions {
    @Option(names = {"-q", "--quiet"}, description = "Print only warnings and errors.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on error, and SSH diagnostics.")
    boolean verbose;

    /** Implemented by every subcommand, so errors can be printed as verbosely as asked. */
    interface Holder {
        OutputOptions output();
    }

    void apply() {
        if (verbose) {
            Logger.getLogger("").setLevel(Level.INFO);
        }
    }
}
