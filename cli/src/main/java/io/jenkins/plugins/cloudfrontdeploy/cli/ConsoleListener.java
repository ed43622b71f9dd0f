package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import java.io.PrintWriter;

/**
 * Engine events on the console: warnings always (to stderr), info and one line per finished stage unless quiet, and
 * progress bars for the long stages when a person is watching a terminal. Thread-safe: the engine reports from
 * several threads.
 */
class ConsoleListener implements ProgressListener, AutoCloseable {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;

    ConsoleListener(PrintWriter out, PrintWriter err, boolean quiet) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    /** Bars on an interactive terminal; plain lines when output goes to a file, a pipe or a CI log. */
    static ConsoleListener create(PrintWriter out, PrintWriter err, boolean quiet) {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return terminal && !quiet ? new ProgressBars(out, err) : new ConsoleListener(out, err, quiet);
    }

    @Override
    public synchronized void stageFinished(Stage stage, String summary) {
        if (!quiet) {
            out.println(stage.label() + ": " + summary);
            out.flush();
        }
    }

    @Override
    public synchronized void info(String message) {
        if (!quiet) {
            out.println(message);
            out.flush();
        }
    }

    @Override
    public synchronized void warning(String message) {
        err.println("warning: " + message);
        err.flush();
    }

    @Override
    public void close() {}
}
