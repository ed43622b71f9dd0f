package io.jenkins.plugins.cloudfrontdeploy.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Every exit status the README documents, one row each: 2 for a mistake in how the command was called (found before
 * anything is read or changed), 1 for a failure while running, 130/143 for Ctrl-C and SIGTERM (the lock released on
 * the way out). Every failure is one error line that names the value.
 */
public class ExitStatusTest {
    private static final int USAGE = 2;
    private static final int FAILED = 1;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(180);

    /** One documented case: the arguments, the status and what the error line must say. */
    private record Row(String name, int status, String errorContains, List<String> args) {}

    private Path www;
    private Path build;
    private Path reports;

    private List<Row> rows() throws Exception {
        www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.3"), "index.html", "old\n");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.3"));
        build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "new\n");
        reports = tmp.newFolder("reports").toPath();
        String b = build.toString();
        String local = www.resolve("production").toString();
        String ssh = "ssh://deploy@127.0.0.1:1/var/www/site/production";
        String r = reports.toString();
        Path openKey = TestKeys.generate(tmp.getRoot().toPath(), "id_open", "ed25519", "", false);
        Files.setPosixFilePermissions(openKey, PosixFilePermissions.fromString("rw-r--r--"));
        Path noPaths = tmp.getRoot().toPath().resolve("no-such-paths.txt");
        Path paths = Files.writeString(tmp.getRoot().toPath().resolve("paths.txt"), "/index.html\n");
        return List.of(
                new Row("no arguments", USAGE, "Usage:", List.of()),
                new Row("unknown command", USAGE, "frobnicate", List.of("frobnicate")),
                new Row("unknown option", USAGE, "Unknown option: '--no-such-option'",
                        List.of("diff", "--source", b, "--target", local, "--no-such-option")),
                new Row("missing option", USAGE, "Missing required option: '--source=DIR'",
                        List.of("diff", "--target", local)),
                new Row("option value of the wrong type", USAGE, "--connect-timeout",
                        List.of("diff", "--source", b, "--target", ssh, "--connect-timeout", "soon")),
                new Row("option value out of range", USAGE, "--connect-timeout must be at least 1 second, not 0",
                        List.of("diff", "--source", b, "--target", ssh, "--connect-timeout", "0")),
                new Row("unknown host key mode", USAGE, "unknown host key verification 'sometimes'",
                        List.of("diff", "--source", b, "--target", ssh, "--host-key-verification", "sometimes")),
                new Row("options that contradict", USAGE, "--host-key-fingerprint goes with",
                        List.of("diff", "--source", b, "--target", ssh, "--host-key-verification", "off",
                                "--host-key-fingerprint", "SHA256:abc")),
                new Row("secret variable not set", USAGE, "CFD_TEST_SURELY_UNSET_VARIABLE, which is not set",
                        List.of("diff", "--source", b, "--target", ssh, "--password-env",
                                "CFD_TEST_SURELY_UNSET_VARIABLE")),
                new Row("bad release name", USAGE, "the release name '../evil' is not valid",
                        List.of("deploy", "--source", b, "--target", local, "--release", "../evil", "--report-dir", r)),
                new Row("bad release name to roll back to", USAGE, "the release name '../evil' is not valid",
                        List.of("rollback", "--target", local, "--to", "../evil", "--report-dir", r)),
                new Row("relative target path", USAGE, "the target path 'relative/production'",
                        List.of("diff", "--source", b, "--target", "relative/production", "--report-dir", r)),
                new Row("target URL with another scheme", USAGE, "the target 'ftp://host/x/production'",
                        List.of("deploy", "--source", b, "--target", "ftp://host/x/production", "--release", "2",
                                "--report-dir", r)),
                new Row("target URL with a bad port", USAGE, "invalid port '99999'",
                        List.of("rollback", "--target", "ssh://u@host:99999/x/production", "--report-dir", r)),
                new Row("bad target URL to list", USAGE, "the target path 'relative/production'",
                        List.of("releases", "--target", "relative/production")),
                new Row("same target twice", USAGE, "the same target is given twice",
                        List.of("deploy", "--source", b, "--target", local, "--target", local, "--release", "2",
                                "--report-dir", r)),
                new Row("too few releases to keep", USAGE, "--keep 1 is too small",
                        List.of("deploy", "--source", b, "--target", local, "--release", "2", "--keep", "1",
                                "--report-dir", r)),
                new Row("bad releases folder", USAGE, "the releases folder 'releases' is not valid",
                        List.of("deploy", "--source", b, "--target", local, "--release", "2", "--releases-dir",
                                "releases", "--report-dir", r)),
                new Row("bad distribution id", USAGE, "e1-lower",
                        List.of("invalidate", "--paths-from", paths.toString(), "--distribution", "e1-lower")),
                new Row("paths file missing", USAGE, "--paths-from " + noPaths + " is not a readable file",
                        List.of("invalidate", "--paths-from", noPaths.toString(), "--distribution", "E1TEST")),
                new Row("source folder missing", FAILED, "the source folder " + www.resolve("nope") + " does not exist",
                        List.of("diff", "--source", www.resolve("nope").toString(), "--target", local,
                                "--report-dir", r)),
                new Row("release already there", FAILED, "already exists",
                        List.of("deploy", "--source", b, "--target", local, "--release", "1.0.3", "--report-dir", r)),
                new Row("nothing to roll back to", FAILED, "no earlier good release",
                        List.of("rollback", "--target", local, "--report-dir", r)),
                new Row("key file others may read", FAILED, "UNPROTECTED PRIVATE KEY FILE: " + openKey,
                        List.of("diff", "--source", b, "--target", ssh, "--identity", openKey.toString(),
                                "--report-dir", r)));
    }

    @Test
    public void everyDocumentedExitStatus() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(row.args().toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String error = err.toString(StandardCharsets.UTF_8);
            if (status != row.status() || !error.contains(row.errorContains())) {
                wrong.add(row.name() + ": exit " + status + " (expected " + row.status() + "), stderr: " + error.strip());
            } else if (row.status() == FAILED || error.startsWith("cloudfront-deploy: error:")) {
                // our own errors are one line; picocli's usage errors come with the usage text, as picocli prints it
                long lines = error.lines().count();
                if (lines != 1) {
                    wrong.add(row.name() + ": " + lines + " error lines: " + error.strip());
                }
            }
        }
        assertTrue(String.join("\n", wrong), wrong.isEmpty());
        assertEquals("no refused call touched the live release", "1.0.3",
                Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals("no refused call staged a release", List.of("1.0.3", "production"),
                Files.list(www).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
    }

    @Test
    public void sigintExits130AndSigtermExits143AfterReleasingTheLock() throws Exception {
        rows();
        // the deploy waits for an invalidation that never completes: a run that holds its lock until stopped
        try (FakeCloudFront fake = FakeCloudFront.start().addDistribution("E1TEST").completeAfterPolls(1_000_000)) {
            int release = 0;
            for (Map.Entry<String, Integer> signal : List.of(Map.entry("INT", 130), Map.entry("TERM", 143))) {
                release++;
                Trees.write(build, "index.html", "build " + release + "\n");
                try (CliProcess cli = CliProcess.startWithDefaultSignals(tmp.getRoot().toPath(),
                        Map.of("CFD_AK", "AKIDEXAMPLE", "CFD_SK", "not-a-secret"),
                        List.of("deploy", "--source", build.toString(), "--target",
                                www.resolve("production").toString(), "--release", "r" + release, "--report-dir",
                                reports.toString(), "--distribution", "E1TEST", "--endpoint-url",
                                fake.endpoint().toString(), "--access-key-env", "CFD_AK", "--secret-key-env", "CFD_SK",
                                "--wait"))) {
                    assertTrue(cli.transcript(), cli.awaitLine(Pattern.compile("batch .* InProgress \\d+s"), 0,
                            Duration.ofSeconds(120)) >= 0);
                    assertTrue("the deploy holds its lock", Files.exists(www.resolve(".cloudfront-deploy/lock")));
                    cli.signal(signal.getKey());
                    assertEquals(signal.getKey() + ":\n" + cli.transcript(), (int) signal.getValue(),
                            cli.waitFor(Duration.ofSeconds(60)));
                    assertTrue(cli.transcript(), cli.transcript().contains("interrupted"));
                    assertFalse("SIG" + signal.getKey() + " released the lock",
                            Files.exists(www.resolve(".cloudfront-deploy/lock")));
                    assertEquals("r" + release, Files.readSymbolicLink(www.resolve("production")).toString());
                }
            }
        }
    }
}
