package io.jenkins.plugins.cloudfrontdeploy.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The command in a child JVM prints each progress line as it happens when its output is a pipe (a CI log), which
 * is what lets a test, or a person reading a log, see where a deploy stands; and it dies by the signals sent.
 */
public class CliProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    private List<String> deploy(Path www, String... more) throws Exception {
        Path build = tmp.newFolder().toPath();
        Trees.write(build, "index.html", "hello\n");
        List<String> args = new java.util.ArrayList<>(List.of("deploy", "--source", build.toString(), "--target",
                www.resolve("production").toString(), "--release", "r1", "--report-dir",
                tmp.getRoot().toPath().resolve("report").toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    public void aLineArrivesWhileTheCommandStillRuns() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Path lock = www.resolve(".cloudfront-deploy/lock");
        Files.createDirectories(lock); // another deploy holds the lock: the command says so and waits
        try (CliProcess p = CliProcess.start(tmp.getRoot().toPath(), Map.of(), deploy(www, "--lock-timeout", "60"))) {
            int waiting = p.awaitLine(Pattern.compile("^waiting for the deploy lock"), 0, DEADLINE);
            assertTrue("the line came only at the end:\n" + p.transcript(), waiting >= 0 && p.isAlive());
            Files.delete(lock);
            assertEquals(p.transcript(), 0, p.waitFor(DEADLINE));
            assertTrue(p.transcript(), p.awaitLine(Pattern.compile("^release r1 is live"), waiting, DEADLINE) > 0);
        }
        assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    @Test
    public void signals() throws Exception {
        for (boolean kill : new boolean[] {true, false}) {
            Path www = tmp.newFolder().toPath();
            Files.createDirectories(www.resolve(".cloudfront-deploy/lock"));
            try (CliProcess p = CliProcess.start(tmp.getRoot().toPath(), Map.of(),
                    deploy(www, "--lock-timeout", "60"))) {
                p.awaitLine(Pattern.compile("^waiting for the deploy lock"), 0, DEADLINE);
                if (kill) {
                    p.kill();
                } else {
                    p.terminate();
                }
                assertEquals(kill ? 128 + 9 : 128 + 15, p.waitFor(DEADLINE));
            }
        }
    }
}
