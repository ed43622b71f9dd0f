package io.jenkins.plugins.cloudfrontdeploy.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real {@code cloudfront-deploy} command in a child JVM (this test JVM's class path, {@code LC_ALL=C.UTF-8}), so
 * that a test can kill it as a user's Ctrl-C, a CI abort or an OOM killer would: it collects the child's stdout and
 * stderr lines as they come, waits for a given line with a deadline, and sends SIGKILL or SIGTERM.
 */
final class CliProcess implements AutoCloseable {
    /**
     * Cheap JVM start for short runs: the child does little work, so C1 alone and the serial collector do. MINA's
     * TCP_NODELAY as in the test JVM (the surefire configuration): without it each SSH exchange on loopback can wait
     * out a delayed ACK.
     */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-Xmx256m", "-Dorg.apache.sshd.config.tcp-nodelay=true");

    /** A line of output, tagged with the stream it came on. */
    record Line(boolean stderr, String text) {
        @Override
        public String toString() {
            return (stderr ? "err| " : "out| ") + text;
        }
    }

    private final Process process;
    private final List<Line> lines = new ArrayList<>(); // guarded by this
    private int openStreams = 2; // guarded by this

    private CliProcess(Process process) {
        this.process = process;
        read(process.getInputStream(), false);
        read(process.getErrorStream(), true);
    }

    /**
     * Starts {@code cloudfront-deploy args…}.
     *
     * @param environment added to this JVM's environment (e.g. the variables named by --access-key-env)
     */
    static CliProcess start(Path workDir, Map<String, String> environment, List<String> args) throws IOException {
        return start(workDir, environment, args, List.of());
    }

    /**
     * Starts {@code cloudfront-deploy args…} with SIGINT and SIGQUIT handled by default, as in a terminal: a child of
     * a build started in the background inherits them ignored, and a JVM leaves an ignored SIGINT ignored.
     */
    static CliProcess startWithDefaultSignals(Path workDir, Map<String, String> environment, List<String> args)
            throws IOException {
        return start(workDir, environment, args,
                List.of("perl", "-e", "$SIG{INT} = $SIG{QUIT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\\n\";"));
    }

    private static CliProcess start(Path workDir, Map<String, String> environment, List<String> args,
            List<String> launcher) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(environment);
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new CliProcess(pb.start());
    }

    private void read(InputStream stream, boolean stderr) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (this) {
                        lines.add(new Line(stderr, line));
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone; what was read is kept
            } finally {
                synchronized (this) {
                    openStreams--;
                    notifyAll();
                }
            }
        }, "cli-" + (stderr ? "stderr" : "stdout") + "-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    /** Every line so far, stdout and stderr in the order they arrived. */
    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The whole transcript, one tagged line each. */
    synchronized String transcript() {
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(l).append('\n'));
        return s.toString();
    }

    /**
     * Waits until {@code count} lines have been read.
     *
     * @return false if the output ended first (the process exited)
     */
    synchronized boolean awaitLines(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.size() < count) {
            if (openStreams == 0) {
                return false;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no line " + count + " from pid " + process.pid() + " within " + timeout
                        + "; the output so far:\n" + transcriptUnlocked());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Waits for a line at or after index {@code from} that contains a match of {@code pattern}.
     *
     * @return its index, or -1 if the output ended first
     */
    synchronized int awaitLine(Pattern pattern, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = from; ; ) {
            for (; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i).text()).find()) {
                    return i;
                }
            }
            if (openStreams == 0) {
                return -1;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no line matching /" + pattern + "/ from pid " + process.pid() + " within "
                        + timeout + "; the output so far:\n" + transcriptUnlocked());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private String transcriptUnlocked() {
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(l).append('\n'));
        return s.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** @return whether the process ended within the timeout */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() {
        process.destroyForcibly();
    }

    /** Sends a signal by name (INT as Ctrl-C sends it, TERM, ...) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM: the JVM runs its shutdown hooks. */
    void terminate() {
        process.destroy();
    }

    /**
     * Waits for the process to end and for its output to be read to the end.
     *
     * @return the exit status (128 + the signal's number when a signal ended it)
     */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pid " + process.pid() + " did not end within " + timeout + " and was killed;"
                    + " the output so far:\n" + transcript());
        }
        synchronized (this) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (openStreams > 0 && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
            }
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs (a test that failed half way must not leave it behind). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
