package io.jenkins.plugins.cloudfrontdeploy.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeEdge;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeSts;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The command, run in-process: exit statuses, output and messages as a user sees them. */
public class MainTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path www;
    private Path build;
    private Path reports;
    private String out;
    private String err;

    @Before
    public void trees() throws Exception {
        www = tmp.newFolder("www").toPath();
        Trees.write(www.resolve("1.0.3"), "index.html", "old\n");
        Trees.write(www.resolve("1.0.3"), "about.html", "about\n");
        Trees.write(www.resolve("1.0.3"), "same.css", "css\n");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.3"));
        build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "new!\n");
        Trees.write(build, "same.css", "css\n");
        Trees.write(build, "js/app.js", "js\n");
        Trees.write(build, "js/app.js.map", "{}\n");
        reports = tmp.getRoot().toPath().resolve("reports");
    }

    @After
    public void clearAwsProperties() {
        System.clearProperty(FakeSts.ENDPOINT_PROPERTY);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    public void keepRemovedKeepsAnAssetOneDeployAndZeroLetsItGo() throws Exception {
        String target = www.resolve("production").toString();
        assertEquals(err, 0, run("deploy", "--source", build.toString(), "--target", target, "--release", "r1",
                "--report-dir", reports.toString()));
        assertFalse("a page is never kept", Files.exists(www.resolve("r1/about.html")));
        Files.delete(build.resolve("js/app.js"));
        Trees.write(build, "index.html", "newer\n");
        assertEquals(err, 0, run("deploy", "--source", build.toString(), "--target", target, "--release", "r2",
                "--report-dir", reports.toString()));
        assertThat(out, containsString("removed files still served: 1 (not invalidated); expired now: 0"));
        assertThat(Files.readString(reports.resolve("changes.txt")), containsString("D\tjs/app.js\n"));
        assertEquals("js\n", Files.readString(www.resolve("r2/js/app.js")));
        assertEquals("a bad value is bad usage", 2, run("deploy", "--source", build.toString(), "--target", target,
                "--release", "r3", "--keep-removed", "-1", "--report-dir", reports.toString()));
        assertThat(err, containsString("--keep-removed -1 is not valid"));
        assertEquals(err, 0, run("deploy", "--source", build.toString(), "--target", target, "--release", "r3",
                "--keep-removed", "0", "--invalidate-expired", "--report-dir", reports.toString()));
        assertThat(out, containsString("expired now: 1"));
        assertFalse(Files.exists(www.resolve("r3/js/app.js")));
    }

    @Test
    public void diffWithTheLocalTransport() throws Exception {
        assertEquals(err, 0, run("diff", "--source", build.toString(), "--target", www.resolve("production").toString(),
                "--exclude", "**/*.map", "--report-dir", reports.toString()));
        assertEquals("D\tabout.html\nM\tindex.html\nA\tjs/app.js\n", Files.readString(reports.resolve("changes.txt")));
        assertThat(out, containsString("live release 1.0.3 (local): 1 added, 1 modified, 1 removed, 1 unchanged"));
        assertThat(out, containsString("reports: " + reports.resolve("changes.txt")));
    }

    @Test
    public void diffOverSsh() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path kh = tmp.getRoot().toPath().resolve("known_hosts");
            Files.writeString(kh, server.knownHostsLine() + "\n");
            assertEquals(err, 0, run("diff", "--source", build.toString(),
                    "--target", server.url("deploy", www.resolve("production").toString()),
                    "--identity", key.toString(), "--known-hosts", kh.toString(), "--report-dir", reports.toString()));
            assertThat(out, containsString("live release 1.0.3 (exec): 2 added, 1 modified, 1 removed"));
        }
    }

    @Test
    public void quietPrintsNothing() {
        assertEquals(0, run("diff", "--quiet", "--source", build.toString(), "--target",
                www.resolve("production").toString(), "--report-dir", reports.toString()));
        assertEquals("", out);
    }

    @Test
    public void badUsageExitsTwo() {
        assertEquals(2, run("diff", "--target", "/x/production"));
        assertThat(err, containsString("Missing required option: '--source=DIR'"));
        assertEquals(2, run("diff", "--source", "a", "--target", "/x/production", "--no-such-option"));
        assertThat(err, containsString("Unknown option: '--no-such-option'"));
        assertEquals(2, run());
    }

    @Test
    public void failureIsOneLineUnlessVerbose() {
        Path missing = tmp.getRoot().toPath().resolve("missing");
        assertEquals(1, run("diff", "--source", missing.toString(), "--target", www.resolve("production").toString()));
        assertEquals("cloudfront-deploy: error: the source folder " + missing + " does not exist; point --source at"
                + " the folder your build writes the site to\n", err);
        assertEquals(1, run("diff", "--verbose", "--source", missing.toString(), "--target",
                www.resolve("production").toString()));
        assertThat(err, containsString("\tat io.jenkins.plugins.cloudfrontdeploy"));
    }

    @Test
    public void badTargetNamesTheValue() {
        assertEquals(2, run("diff", "--source", build.toString(), "--target", "relative/production"));
        assertThat(err, containsString("the target path 'relative/production'"));
    }

    @Test
    public void secretsComeFromTheEnvironmentOnly() {
        assertEquals(2, run("diff", "--source", build.toString(), "--target", "ssh://u@127.0.0.1/x/production",
                "--password-env", "CFD_TEST_SURELY_UNSET_VARIABLE"));
        assertThat(err, containsString("--password-env names the environment variable CFD_TEST_SURELY_UNSET_VARIABLE,"
                + " which is not set"));
    }

    @Test
    public void keepaliveOptionsAreCheckedAndUsed() throws Exception {
        for (String[] bad : new String[][] {{"--alive-interval", "0"}, {"--alive-interval", "soon"},
            {"--alive-count-max", "0"}, {"--alive-count-max", "-3"}}) {
            assertEquals(String.join(" ", bad), 2, run("diff", "--source", build.toString(), "--target",
                    "ssh://u@127.0.0.1/x/production", bad[0], bad[1]));
            assertThat(err, containsString(bad[0]));
        }
        assertThat(err, containsString("--alive-count-max must be at least 1, not -3"));
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path kh = tmp.getRoot().toPath().resolve("known_hosts");
            Files.writeString(kh, server.knownHostsLine() + "\n");
            assertEquals(err, 0, run("diff", "--source", build.toString(),
                    "--target", server.url("deploy", www.resolve("production").toString()), "--identity",
                    key.toString(), "--known-hosts", kh.toString(), "--report-dir", reports.toString(),
                    "--alive-interval", "1", "--alive-count-max", "1"));
        }
    }

    @Test
    public void fingerprintWithAnotherModeIsBadUsage() {
        assertEquals(2, run("diff", "--source", build.toString(), "--target", "ssh://u@127.0.0.1/x/production",
                "--host-key-verification", "off", "--host-key-fingerprint", "SHA256:abc"));
        assertThat(err, containsString("--host-key-fingerprint goes with --host-key-verification fingerprint"));
        assertEquals(2, run("diff", "--source", build.toString(), "--target", "ssh://u@127.0.0.1/x/production",
                "--host-key-verification", "sometimes"));
        assertThat(err, containsString("unknown host key verification 'sometimes'"));
    }

    @Test
    public void helpListsTheOptions() {
        assertEquals(0, run("diff", "--help"));
        for (String option : new String[] {"--source", "--target", "--exclude", "--identity", "--password-env",
                "--known-hosts", "--host-key-verification", "--host-key-fingerprint", "--report-dir", "--quiet"}) {
            assertThat(out, containsString(option));
        }
        assertEquals(0, run("--help"));
        assertThat(out, containsString("diff"));
        assertThat(out, not(containsString("Exception")));
    }

    @Test
    public void deployThenReleasesThenRollback() throws Exception {
        String target = www.resolve("production").toString();
        assertEquals(err, 0, run("deploy", "--source", build.toString(), "--target", target, "--release", "1.0.4",
                "--exclude", "**/*.map", "--report-dir", reports.toString()));
        assertThat(out, containsString("release 1.0.4 is live on 1 host (was 1.0.3): 1 added, 1 modified,"
                + " 1 removed, 1 unchanged"));
        assertThat(out, containsString("seeded by hard links"));
        assertEquals("1.0.4", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals("M\tindex.html\nD\tabout.html\nA\tjs/app.js\n".replace("M\tindex.html\nD\tabout.html\n",
                "D\tabout.html\nM\tindex.html\n"), Files.readString(reports.resolve("changes.txt")));

        assertEquals(err, 0, run("releases", "--target", target));
        assertThat(out, containsString("1.0.4"));
        assertThat(out, containsString("live"));
        assertThat(out, containsString("previous"));

        assertEquals(err, 0, run("rollback", "--target", target, "--report-dir", reports.toString()));
        assertThat(out, containsString("release 1.0.3 is live again"));
        assertEquals("1.0.3", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals("A\tabout.html\nM\tindex.html\nD\tjs/app.js\n", Files.readString(reports.resolve("changes.txt")));

        assertEquals(0, run("releases", "--target", target));
        assertThat(out, containsString("bad"));
    }

    @Test
    public void rollbackRunAgainIsANoOpAndADeletedReleaseIsRefused() throws Exception {
        String target = www.resolve("production").toString();
        for (String r : List.of("1.0.4", "1.0.5", "1.0.6")) {
            Trees.write(build, "index.html", r + "\n");
            int status = run("deploy", "--source", build.toString(), "--target", target, "--release", r, "--keep",
                    "2", "--report-dir", reports.toString());
            assertEquals(err, 0, status);
        }
        assertEquals("--keep 2 keeps the live 1.0.6 and the 1.0.5 it replaced", false,
                Files.exists(www.resolve("1.0.4")));
        assertEquals(1, run("rollback", "--target", target, "--to", "1.0.4", "--report-dir", reports.toString()));
        assertEquals("cloudfront-deploy: error: release 1.0.4 cannot be rolled back to on local: its folder "
                + www.resolve("1.0.4") + " no longer exists (deleted by retention, or by hand); releases there:"
                + " 1.0.6 (live), 1.0.5; name one with --to\n", err);
        assertEquals("1.0.6", Files.readSymbolicLink(www.resolve("production")).toString());

        assertEquals(err, 0, run("rollback", "--target", target, "--report-dir", reports.toString()));
        assertThat(out, containsString("release 1.0.5 is live again"));
        String changes = Files.readString(reports.resolve("changes.txt"));
        assertEquals("M\tindex.html\n", changes);

        assertEquals(err, 0, run("rollback", "--target", target, "--report-dir", reports.toString()));
        assertThat(out, containsString("production is already on 1.0.5: the rollback from 1.0.6 to 1.0.5 finished"
                + " at "));
        assertThat(out, containsString("; nothing to do. To go back further, name the release with --to\n"));
        assertEquals("1.0.5", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals("the report of the rollback it found done", changes,
                Files.readString(reports.resolve("changes.txt")));

        assertEquals(err, 0, run("releases", "--target", target));
        assertThat(line(out, "1.0.6"), containsString(" bad "));
        assertThat(line(out, "1.0.5"), containsString(" live "));
        assertThat("1.0.5 replaced it, retention deleted it", line(out, "1.0.4"), containsString(" missing "));
        assertThat(out, not(containsString("previous")));
        assertEquals("newest first, what 1.0.5 replaced below it", List.of("1.0.6", "1.0.5", "1.0.4"),
                out.lines().skip(1).limit(3).map(l -> l.split(" ")[0]).toList());
        assertThat(out, containsString("rollback without --to: nothing to do, production is on 1.0.5 since the"
                + " rollback from 1.0.6 finished at "));

        assertEquals(1, run("rollback", "--target", target, "--to", "1.0.4", "--report-dir", reports.toString()));
        assertThat(err, containsString("releases there: 1.0.6 (bad), 1.0.5 (live); name one with --to"));
        assertEquals("1.0.5", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    /**
     * A deploy that fills the disk names {@code releases --prune-partial}, which removes its partial release and
     * nothing else: not the live release (here one whose journal lacks the switch, as after a deploy that died just
     * after it), not the release rollback would choose, not a release this tool did not make.
     */
    @Test
    public void prunePartialRemovesWhatAFullDiskLeftAndNothingElse() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_prune", "ed25519", "", false);
        io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FullDisk disk =
                new io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FullDisk();
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key))
                .sftpFiles(disk).sftpErrors(io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FullDisk.ERROR_TEXT)
                .start()) {
            Path kh = tmp.getRoot().toPath().resolve("known_hosts");
            Files.writeString(kh, server.knownHostsLine() + "\n");
            String target = server.url("deploy", www.resolve("production").toString());
            List<String> ssh = List.of("--target", target, "--identity", key.toString(), "--known-hosts",
                    kh.toString());
            List<String> deploy = new ArrayList<>(List.of("deploy", "--source", build.toString(), "--report-dir",
                    reports.toString()));
            deploy.addAll(ssh);
            List<String> releases = new ArrayList<>(List.of("releases"));
            releases.addAll(ssh);

            assertEquals(err, 0, run(concat(deploy, "--release", "1.0.4")));
            Files.write(build.resolve("big.bin"), new byte[300_000]);
            disk.free.set(100_000);
            assertEquals(1, run(concat(deploy, "--release", "1.0.5")));
            assertThat(err, containsString("is out of space (No space left on device) in " + www + ": staging release"
                    + " 1.0.5 stopped, and its partial copy stays in " + www.resolve("1.0.5") + "; once space is"
                    + " freed, a re-run resumes it, or remove it with cloudfront-deploy releases --target " + target
                    + " --prune-partial — production still serves 1.0.4"));
            disk.free.set(-1);
            assertEquals(err, 0, run(concat(deploy, "--release", "1.0.6")));
            Path journal = www.resolve(".cloudfront-deploy/releases/1.0.6.json");
            Files.writeString(journal, Files.readString(journal).replaceAll("(?m)^\\s*\"switched\"\\s*:.*\\n", "")
                    .replaceAll(",(\\s*})", "$1"));
            assertThat(Files.readString(journal), not(containsString("switched")));

            assertEquals(err, 0, run(concat(releases, "--prune-partial")));
            assertThat(out, containsString("removed 1 partial release: 1.0.5\n"));
            assertEquals(false, Files.exists(www.resolve("1.0.5")));
            for (String kept : List.of("1.0.3", "1.0.4", "1.0.6")) {
                assertEquals(kept, true, Files.isDirectory(www.resolve(kept)));
            }
            assertThat(line(out, "1.0.6"), containsString(" live "));
            assertThat(line(out, "1.0.4"), containsString(" previous "));
            assertEquals(out, false, out.lines().anyMatch(l -> l.startsWith("1.0.5 ")));

            assertEquals(err, 0, run(concat(releases, "--prune-partial")));
            assertThat(out, containsString("no partial release to remove\n"));
        }
    }

    private static String[] concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The line of {@code releases} output that starts with a release name. */
    private static String line(String output, String release) {
        return output.lines().filter(l -> l.startsWith(release + " ")).findFirst().orElse("(no line for " + release
                + " in:\n" + output + ")");
    }

    @Test
    public void verifyRemoteHashesWhatTheStoredManifestWouldHaveGiven() throws Exception {
        String target = www.resolve("production").toString();
        assertEquals(err, 0, run("deploy", "--source", build.toString(), "--target", target, "--release", "1.0.4",
                "--report-dir", reports.toString()));
        assertEquals(err, 0, run("diff", "--source", build.toString(), "--target", target, "--report-dir",
                reports.toString()));
        assertThat(out, containsString("hashes taken from the manifest stored with release 1.0.4, 0 files to hash"));
        for (String command : new String[] {"diff", "deploy"}) {
            List<String> args = new ArrayList<>(List.of(command, "--verify-remote", "--source",
                    build.toString(), "--target", target, "--report-dir", reports.toString()));
            if (command.equals("deploy")) {
                args.addAll(List.of("--release", "1.0.5"));
            }
            assertEquals(err, 0, run(args.toArray(new String[0])));
            assertThat(command, out, not(containsString("manifest stored")));
        }
        assertEquals(err, 0, run("rollback", "--verify-remote", "--target", target, "--report-dir",
                reports.toString()));
        assertThat(out, not(containsString("manifest stored")));
        assertEquals("1.0.4", Files.readSymbolicLink(www.resolve("production")).toString());
    }

    @Test
    public void deployChecksTheEdgeAndFailsOnStaleOnlyWhenAsked() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "fake");
        Path link = www.resolve("production");
        try (FakeCloudFront fake = FakeCloudFront.start().addDistribution("E1TEST").completeAfterPolls(1);
                FakeEdge edge = FakeEdge.start(link, fake, "E1TEST", "/")) {
            String endpoint = fake.endpoint().toString();
            // the edge holds the old page and keeps it a while after its invalidation completed
            edge.warm("/index.html").lag("/index.html", 1000);
            assertEquals(err, 1, run("deploy", "--source", build.toString(), "--target", link.toString(), "--release",
                    "1.0.4", "--report-dir", reports.toString(), "--distribution", "E1TEST", "--endpoint-url",
                    endpoint, "--origin-domain", "127.0.0.1", "--check-origin", "--verify-url",
                    edge.base().toString(), "--verify-timeout", "0s", "--fail-on-stale"));
            assertThat(err, containsString("does not serve the build at 1 of "));
            assertThat(err, containsString("stale " + edge.base() + "/index.html"));
            assertThat(Files.readString(reports.resolve("report.json")), containsString("\"stale\" : 1"));
            assertEquals("production serves the build all the same", "1.0.4",
                    link.toRealPath().getFileName().toString());

            Trees.write(build, "index.html", "newer\n");
            edge.lag("/index.html", 0);
            assertEquals(err, 0, run("deploy", "--source", build.toString(), "--target", link.toString(), "--release",
                    "1.0.5", "--report-dir", reports.toString(), "--distribution", "E1TEST", "--endpoint-url",
                    endpoint, "--verify-url", edge.base().toString(), "--verify-sample", "1", "--fail-on-stale"));
            assertThat(out, containsString("edge " + edge.base() + ": 3 ok, 0 stale, 0 missing"));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    public void badEdgeOptionsAreUsageErrors() {
        String[] base = {"deploy", "--source", build.toString(), "--target", www.resolve("production").toString(),
                "--release", "9", "--report-dir", reports.toString()};
        assertEquals(2, run(concat(base, "--verify-url", "ftp://example.com")));
        assertThat(err, containsString("--verify-url ftp://example.com is not valid: give the address users load the"
                + " site from, such as https://www.example.com"));
        assertEquals(2, run(concat(base, "--verify-url", "https://example.com", "--verify-timeout", "soon")));
        assertThat(err, containsString("--verify-timeout soon is not a duration"));
        assertEquals(2, run(concat(base, "--verify-url", "https://example.com", "--verify-sample", "-3")));
        assertThat(err, containsString("--verify-sample -3 is not valid"));
        assertEquals("nothing was deployed", "1.0.3", readLink());
    }

    private String readLink() {
        try {
            return Files.readSymbolicLink(www.resolve("production")).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    public void deployAndInvalidateTalkToCloudFront() throws Exception {
        // the SDK's default chain reads these system properties first; nothing is looked up elsewhere
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "kept-out-of-the-console");
        try (FakeCloudFront fake = FakeCloudFront.start().addDistribution("E1TEST").completeAfterPolls(1)) {
            String endpoint = fake.endpoint().toString();
            assertEquals(err, 0, run("deploy", "--source", build.toString(), "--target",
                    www.resolve("production").toString(), "--release", "1.0.4", "--report-dir", reports.toString(),
                    "--distribution", "E1TEST", "--endpoint-url", endpoint, "--wait"));
            assertThat(out, containsString("invalidation (auto): 3 paths billed for 3 URLs on 1 distribution"));
            assertThat(out, containsString("Completed"));
            assertEquals(new java.util.TreeSet<>(List.of("/", "/about.html", "/index.html")),
                    new java.util.TreeSet<>(fake.billedPaths("E1TEST")));
            assertThat(out + err, not(containsString("kept-out-of-the-console")));

            Path paths = tmp.newFile("paths.txt").toPath();
            Files.writeString(paths, "# by hand\n/docs/a b.html\ndocs/\n");
            for (int i = 0; i < 2; i++) {
                assertEquals(err, 0, run("invalidate", "--paths-from", paths.toString(), "--distribution", "E1TEST",
                        "--endpoint-url", endpoint, "--reference", "build-7", "--report-dir", reports.toString()));
            }
            assertEquals("the same reference and paths are billed once", 6, fake.billedCount());
            assertThat(fake.billedPaths("E1TEST").toString(), containsString("/docs/a%20b.html"));
            assertThat(Files.readString(reports.resolve("report.json")), containsString("\"operation\" : \"invalidate\""));

            int requests = fake.requestCount();
            assertEquals(err, 0, run("invalidate", "--dry-run", "--paths-from", paths.toString(), "--distribution",
                    "E1TEST", "--mode", "all", "--endpoint-url", endpoint, "--report-dir", reports.toString()));
            assertThat(out, containsString("1 path would be billed"));
            assertEquals("a dry run calls nothing", requests, fake.requestCount());

            assertEquals(2, run("invalidate", "--paths-from", paths.toString(), "--distribution", "e1-lower"));
            assertThat(err, containsString("'e1-lower' is not valid"));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    public void invalidateAssumesTheRoleGiven() throws Exception {
        String role = "arn:aws:iam::123456789012:role/cloudfront-invalidator";
        // base keys for the SDK's default chain: only STS sees them; the SDK finds STS by aws.endpointUrlSts
        System.setProperty("aws.accessKeyId", "AKIDBASEEXAMPLE");
        System.setProperty("aws.secretAccessKey", "base-secret-kept-out-of-the-console");
        try (FakeSts sts = FakeSts.start();
                FakeCloudFront fake = FakeCloudFront.start().addDistribution("E1TEST").completeAfterPolls(1)) {
            System.setProperty(FakeSts.ENDPOINT_PROPERTY, sts.endpoint().toString());
            Path paths = tmp.newFile("paths.txt").toPath();
            Files.writeString(paths, "/index.html\n");
            String[] args = {"invalidate", "--paths-from", paths.toString(), "--distribution", "E1TEST",
                "--endpoint-url", fake.endpoint().toString(), "--role-arn", role, "--external-id", "ext-42",
                "--report-dir", reports.toString()};
            assertEquals(err, 0, run(args));
            assertEquals(List.of(new FakeSts.Call(role, "cloudfront-deploy", "ext-42", 3600, "AKIDBASEEXAMPLE")),
                    sts.calls());
            FakeSts.Issued assumed = sts.issued().get(0);
            assertEquals("the assumed role's key signed every request", Set.of(assumed.accessKeyId()), fake.signers());
            assertEquals(Set.of(assumed.sessionToken()), fake.securityTokens());
            assertEquals(1, fake.requestCount(FakeCloudFront.CREATE));
            assertThat(fake.billedPaths("E1TEST").toString(), containsString("/index.html"));
            String console = out + err;

            sts.denyRole(role);
            assertEquals(1, run(args));
            assertThat(err, containsString("cannot assume the role " + role + " for CloudFront: STS answered"
                    + " AccessDenied"));
            assertThat(err, containsString("trust policy"));
            assertEquals("nothing more reached CloudFront", 1, fake.requestCount(FakeCloudFront.CREATE));
            console += out + err;
            for (String secret : List.of("base-secret-kept-out-of-the-console", assumed.secretAccessKey(),
                    assumed.sessionToken())) {
                assertThat(console, not(containsString(secret)));
            }
        }
    }

    @Test
    public void deployDryRunChangesNothing() throws Exception {
        assertEquals(err, 0, run("deploy", "--dry-run", "--source", build.toString(), "--target",
                www.resolve("production").toString(), "--release", "1.0.4", "--report-dir", reports.toString()));
        assertThat(out, containsString("would go live"));
        assertThat(out, containsString("would upload"));
        assertEquals("1.0.3", Files.readSymbolicLink(www.resolve("production")).toString());
        assertEquals(false, Files.exists(www.resolve("1.0.4")));
    }

    @Test
    public void deployErrorsNameTheFix() throws Exception {
        assertEquals(2, run("deploy", "--source", build.toString(), "--target", www.resolve("production").toString(),
                "--release", "../evil", "--report-dir", reports.toString()));
        assertThat(err, containsString("the release name '../evil' is not valid"));
        assertEquals(1, run("deploy", "--source", build.toString(), "--target", www.resolve("production").toString(),
                "--release", "1.0.3", "--report-dir", reports.toString()));
        assertThat(err, containsString("already exists"));
        assertEquals(2, run("deploy", "--source", build.toString(), "--target", www.resolve("production").toString()));
        assertThat(err, containsString("--release"));
        assertEquals(1, run("rollback", "--target", www.resolve("production").toString()));
        assertThat(err, containsString("no earlier good release"));
    }
}
