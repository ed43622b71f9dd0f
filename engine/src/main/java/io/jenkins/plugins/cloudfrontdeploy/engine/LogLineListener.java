package io.jenkins.plugins.cloudfrontdeploy.engine;

import java.io.PrintStream;

/**
 * Engine events as plain prefixed lines, for logs that are read later rather than watched (a Jenkins build console):
 * each stage's start and one-line summary, every info line (invalidation batches and their status among them) and
 * warnings. Progress counts are left out: a log is no place for a bar.
 */
public final class LogLineListener implements ProgressListener {
    private final PrintStream out;
    private final String prefix;

    public LogLineListener(PrintStream out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    @Override
    public synchronized void stageStarted(Stage stage, long total) {
        out.println(prefix + stage.label() + (total >= 0 ? " (" + total + " " + stage.unit() + ")" : "") + " …");
    }

    @Override
    public synchronized void stageFinished(Stage stage, String summary) {
        out.println(prefix + stage.label() + ": " + summary);
    }

    @Override
    public synchronized void info(String message) {
        out.println(prefix + message);
    }

    @Override
    public synchronized void warning(String message) {
        out.println(prefix + "WARNING: " + message);
    }
}
