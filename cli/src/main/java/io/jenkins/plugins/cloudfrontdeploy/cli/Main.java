package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cloudfront-deploy} command: parses options, runs a subcommand, maps the outcome to an exit status. */
@Command(
        name = "cloudfront-deploy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Deploy a static site behind CloudFront, invalidating only what changed.",
        subcommands = {
            DiffCommand.class,
            DeployCommand.class,
            RollbackCommand.class,
            ReleasesCommand.class,
            InvalidateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        // Ctrl-C and SIGTERM interrupt the command (exit 130/143 still), so that it releases its deploy locks
        InterruptOnShutdown signals = InterruptOnShutdown.install(Thread.currentThread(), InterruptOnShutdown.GRACE);
        int status;
        try {
            status = run(args, System.out, System.err);
        } finally {
            signals.close();
        }
        System.exit(status);
    }

    /** Runs the command in-process (tests use this: no System.exit). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // MINA logs through SLF4J into java.util.logging; its warnings are not for users unless they ask
        Logger.getLogger("").setLevel(Level.SEVERE);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = commandLine.getCommand() instanceof OutputOptions.Holder h && h.output().verbose;
            String message = e instanceof DeployException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            commandLine.getErr().println("cloudfront-deploy: error: " + message);
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return e instanceof UsageError ? USAGE : FAILED;
        });
        cl.getCommandSpec().exitCodeOnInvalidInput(USAGE);
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().exitCodeOnInvalidInput(USAGE);
        }
        if (args.length == 0) {
            cl.usage(err);
            return USAGE;
        }
        return cl.execute(args);
    }

    /** A mistake in how the command was called, found after parsing (exit status 2). */
    static final class UsageError extends DeployException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    /** Reads the version Maven wrote into the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cloudfront-deploy " + (v == null ? "(development build)" : v)};
        }
    }
}
