package io.jenkins.plugins.cloudfrontdeploy.engine;

import java.io.PrintStream;

/**
 * Engine events as plain prefixed lines, for logs that are read later rather than watched (a Jenkins build console):
 * each stage's start and one-line summary, every info line (invalidation batches and their status among them) and
 * warnings. Progress counts are left out: a log is no place for a bar. Every line is flushed as it is written: a
 * Jenkins agent's console is buffered without autoflush, and a deploy's status (a wait for CloudFront can take
 * minutes) must be read while it happens, and before what the caller prints after the deploy.
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
        line(stage.label() + (total >= 0 ? " (" + total + " " + stage.unit() + ")" : "") + " …");
    }

    @Override
    public synchronized void stageFinished(Stage stage, String summary) {
        line(stage.label() + ": " + summary);
    }

    @Override
    public synchronized void info(String message) {
        line(message);
    }

    @Override
    public synchronized void warning(String message) {
        line("WARNING: " + message);
    }

    private void line(String text) {
        out.println(prefix + text);
        out.flush();
    }
}
