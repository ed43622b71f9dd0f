package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs real programs for tests and fails loudly, with their output, when they fail. */
public final class Processes {
    private Processes() {}

    /** Runs to completion and returns stdout+stderr; throws if the exit status is not 0. */
    public static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Result r = exec(dir, command);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + r.exit() + ": " + r.output());
        }
        return r.output();
    }

    public static Result exec(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        return new Result(exit, new String(out, StandardCharsets.UTF_8), out);
    }

    /** Exit status and output of a finished process. */
    public record Result(int exit, String output, byte[] raw) {}
}
