package io.jenkins.plugins.cloudfrontdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.cli.FaultBuilds.Build;
import io.jenkins.plugins.cloudfrontdeploy.cli.FaultSchedule.KillPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run of {@code cloudfront-deploy deploy} in the fault-injection suite: which logical deploy it belongs to (the
 * key its invalidations are entered under in the fake's ledger), the release and build it deploys, how it ended,
 * and what it reported.
 */
final class FaultRun {
    /** Longest a run may take; a deploy of these small builds takes seconds, even when CloudFront is slow. */
    static final Duration DEADLINE = Duration.ofSeconds(120);
    /** How long a run may take to end after SIGTERM (a shutdown that cleans up over a dead link must give up). */
    static final Duration GRACE = Duration.ofSeconds(30);

    final String label;
    final String key;
    final String release;
    final Build build;
    final Path reportDir;
    /** How many invalidations the fake's ledger held for its key when it started. */
    final int ledgerStart;
    /** Whether it went through the relays (whose byte counts then measure it). */
    final boolean viaRelays;
    private final CliProcess process;
    private String signal;
    private int killedAtLine = -1;
    private int stalledHost = -1;
    private Integer exit;

    FaultRun(String label, String key, String release, Build build, Path reportDir, int ledgerStart,
            boolean viaRelays, CliProcess process) {
        this.label = label;
        this.key = key;
        this.release = release;
        this.build = build;
        this.reportDir = reportDir;
        this.ledgerStart = ledgerStart;
        this.viaRelays = viaRelays;
        this.process = process;
    }

    CliProcess process() {
        return process;
    }

    /**
     * Waits for the kill point and sends its signal; a run that ends before its point is left to end.
     *
     * @return whether the signal was sent
     */
    boolean killAt(KillPoint point) throws InterruptedException {
        int index = point.pattern() != null ? process.awaitLine(point.pattern(), 0, DEADLINE)
                : process.awaitLines(point.line() + 1, DEADLINE) ? point.line() : -1;
        if (index < 0 || !process.awaitLines(index + 1 + point.extraLines(), DEADLINE)) {
            return false;
        }
        killedAtLine = index + point.extraLines();
        signal(point.sigterm());
        return true;
    }

    /** Sends SIGTERM or SIGKILL now. */
    void signal(boolean sigterm) {
        signal = sigterm ? "SIGTERM" : "SIGKILL";
        if (sigterm) {
            process.terminate();
        } else {
            process.kill();
        }
    }

    /** Marks the run as held by a stalled connection to this host when it was signalled. */
    void stalledOn(int host) {
        stalledHost = host;
    }

    int stalledHost() {
        return stalledHost;
    }

    /** The exit status, once the process has ended. */
    int exit() throws InterruptedException {
        if (exit == null) {
            exit = process.waitFor(DEADLINE);
        }
        return exit;
    }

    boolean signalled() {
        return signal != null;
    }

    boolean sigterm() {
        return "SIGTERM".equals(signal);
    }

    /**
     * Whether the signal came between the verify stage and the end of the switch: a lock may then stay, as a run
     * stopped with a switch in flight cannot tell whether it happened.
     */
    boolean signalledWhileSwitching() {
        List<String> text = process.lines().stream().map(CliProcess.Line::text).toList();
        return text.stream().anyMatch(l -> l.startsWith("verify: "))
                && text.stream().noneMatch(l -> l.startsWith("switch: "));
    }

    /** The error line the command ends with on failure, or {@code null}. */
    String errorLine() {
        return process.lines().stream().filter(l -> l.stderr() && l.text().startsWith("cloudfront-deploy: error:"))
                .map(CliProcess.Line::text).findFirst().orElse(null);
    }

    /** The report.json this run wrote, or {@code null}. */
    JsonNode report() throws IOException {
        Path file = reportDir.resolve("report.json");
        return Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : null;
    }

    String transcript() {
        return process.transcript();
    }

    /** How it ended, in a few words. */
    String outcome() throws InterruptedException {
        String how = signal == null ? "exit " + exit()
                : signal + (killedAtLine >= 0 ? " at line " + killedAtLine : "")
                        + (stalledHost >= 0 ? " while stalled on host " + (stalledHost + 1) : "") + ", exit " + exit();
        String error = errorLine();
        return how + (error == null ? "" : " (" + error.substring("cloudfront-deploy: ".length()) + ")");
    }

    @Override
    public String toString() {
        return label + " (" + release + ", " + build + ")";
    }
}
