package io.jenkins.plugins.cloudfrontdeploy.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The command as a process, stopped by SIGTERM (what CI systems and {@code kill} send; Ctrl-C's SIGINT takes the same
 * path) while it waits for CloudFront: it still exits 143, and its deploy lock is released on the way out.
 */
public class SignalTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(120);

    @Test
    public void sigtermReleasesTheLockAndExits143() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Path build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "old\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"deploy", "--source", build.toString(), "--target",
                www.resolve("production").toString(), "--release", "r0", "--report-dir", tmp.newFolder().toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        Trees.write(build, "index.html", "new\n");

        try (FakeCloudFront fake = FakeCloudFront.start().addDistribution("E1TEST").completeAfterPolls(1_000_000)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Daws.accessKeyId=AKIDEXAMPLE",
                    "-Daws.secretAccessKey=not-a-secret", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "deploy", "--source", build.toString(), "--target",
                    www.resolve("production").toString(), "--release", "r1", "--report-dir",
                    tmp.newFolder().toString(), "--distribution", "E1TEST", "--endpoint-url",
                    fake.endpoint().toString(), "--wait");
            pb.environment().put("LC_ALL", "C.UTF-8");
            Process child = pb.start();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            });
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                // the first status line: the batch is submitted and journaled, and the command waits 5 s to poll
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.matches("batch .* InProgress \\d+s"));
                assertNotNull("the child never waited for CloudFront: " + stderr.getNow("(running)"), line);
                child.toHandle().destroy(); // SIGTERM (Process.destroy would also close the child's output pipes)
                assertEquals(stderr.get(60, TimeUnit.SECONDS), 143, child.waitFor());
            }
            assertThat(stderr.get(), containsString("interrupted"));
            assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
            assertFalse("the lock is released", Files.exists(www.resolve(".cloudfront-deploy/lock")));
            assertEquals("the batch was sent once", 1, fake.invalidations("E1TEST").size());
        }
    }
}
