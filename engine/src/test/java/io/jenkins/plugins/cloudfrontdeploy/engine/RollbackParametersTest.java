package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The rollback as the Jenkins step and build step give it (text, blanks for defaults, secrets apart) becomes the
 * engine's request; and rollbacks made that way, over SSH with the key as text and the host key pasted in, go back
 * to the release the live one replaced, or to the one named, invalidating what differs.
 */
public class RollbackParametersTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static RollbackParameters params(String targets, String to, String distributions, String hostKeys,
            String endpoint) {
        return new RollbackParameters(targets, to, distributions, null, null, null, "files", null, false, false, null,
                null, false, null, null, hostKeys, null, endpoint);
    }

    @Test
    public void textBecomesTheEngineRequestWithItsDefaults() throws Exception {
        Path ws = tmp.newFolder("ws").toPath();
        RollbackRequest r = params("ssh://web1/var/www/a/production,\nssh://ops@web2:2222/var/www/a/production", " ",
                "E1AAA E2BBB", null, null).toRequest(ws, new DeployParameters.Secrets("deploy", null, null, null,
                null, null, null), tmp.newFolder().toPath());
        assertEquals(List.of("deploy", "ops"), r.targets().stream().map(t -> t.user()).toList());
        assertNull("a blank release means the one the live release replaced", r.to());
        assertNull(r.releasesDir());
        assertEquals(ws.resolve("cloudfront-deploy").toString(), r.reportDir());
        assertEquals(DeployRequest.DEFAULT_LOCK_TIMEOUT, r.lockTimeout());
        assertFalse(r.breakLock());
        assertEquals(List.of("E1AAA", "E2BBB"), r.invalidation().distributions());
        assertEquals(PlanMode.FILES, r.invalidation().mode());
        assertEquals(List.of("index.html"), r.invalidation().indexDocuments());
        assertEquals(HostKeyVerification.STRICT, r.ssh().hostKeyVerification());
    }

    @Test
    public void keepalivesReachTheConnectionSettings() throws Exception {
        Path ws = tmp.newFolder("ws5").toPath();
        RollbackParameters p = params("/var/www/a/production", null, null, null, null);
        assertEquals(Duration.ofSeconds(10), p.toRequest(ws, DeployParameters.Secrets.NONE, ws).ssh().aliveInterval());
        RollbackRequest r = p.withVocabulary(Vocabulary.PIPELINE).withKeepalives(3, 5)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals(Duration.ofSeconds(3), r.ssh().aliveInterval());
        assertEquals(5, r.ssh().aliveCountMax());
        assertEquals(Vocabulary.PIPELINE, r.ssh().vocabulary());
    }

    @Test
    public void givenValuesAreKept() throws Exception {
        Path ws = tmp.newFolder("ws").toPath();
        RollbackRequest r = new RollbackParameters("/var/www/a/production", " 1.0.2 ", null, null, "https://x/",
                "none", null, null, true, true, 12, 0, true, "accept-new", "/home/j/known", null, "out/reports", null)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals("1.0.2", r.to());
        assertEquals(Duration.ZERO, r.lockTimeout());
        assertTrue(r.breakLock());
        assertEquals(ws.resolve("out/reports").toString(), r.reportDir());
        assertEquals(List.of(), r.invalidation().indexDocuments());
        assertTrue(r.invalidation().invalidateAdded());
        assertTrue(r.invalidation().waitForCompletion());
        assertEquals(Duration.ofMinutes(12), r.invalidation().waitTimeout());
        assertEquals(HostKeyVerification.ACCEPT_NEW, r.ssh().hostKeyVerification());
        assertEquals(Path.of("/home/j/known"), r.ssh().knownHostsFile());
    }

    @Test
    public void badValuesAreRefusedNamingThem() {
        Path ws = tmp.getRoot().toPath();
        DeployParameters.Secrets none = DeployParameters.Secrets.NONE;
        assertThat(assertThrows(DeployException.class, () -> params("ftp://x/y", null, null, null, null)
                .toRequest(ws, none, ws)).getMessage(), containsString("'ftp://x/y'"));
        assertThat(assertThrows(DeployException.class, () -> params("", null, null, null, null)
                .toRequest(ws, none, ws)).getMessage(), containsString("no target"));
        assertThat(assertThrows(DeployException.class, () -> params("/var/www/a/production", "../1", null, null,
                null).toRequest(ws, none, ws)).getMessage(), containsString("'../1'"));
        assertThat(assertThrows(DeployException.class, () -> params("/var/www/a/production", null, "E1 bad-id",
                null, null).toRequest(ws, none, ws)).getMessage(), containsString("'bad-id'"));
        assertThat(assertThrows(DeployException.class, () -> new RollbackParameters("/var/www/a/production", null,
                null, null, null, null, null, null, false, false, null, -1, false, null, null, null, null, null)
                .toRequest(ws, none, ws)).getMessage(), containsString("lock timeout -1"));
    }

    @Test
    public void aRollbackOverSshGoesBackToTheReplacedReleaseOrTheOneNamedAndInvalidatesTheDifference()
            throws Exception {
        Path ws = tmp.newFolder("ws").toPath();
        Path www = tmp.newFolder("www").toPath();
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "secret phrase", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start();
                FakeCloudFront cloudFront = FakeCloudFront.start().addDistribution("E1AAA")) {
            String target = server.url("tester", www.resolve("production").toString());
            DeployParameters.Secrets secrets = new DeployParameters.Secrets(null, Files.readString(key).toCharArray(),
                    "secret phrase".toCharArray(), null, "AKIDEXAMPLE", "secret", null);
            for (String release : List.of("r1", "r2", "r3")) {
                Trees.write(ws.resolve("site"), "index.html", "release " + release + "\n");
                Trees.write(ws.resolve("site"), "about.html", "about\n");
                new Deployment().run(new DeployParameters("site", target, release, null, null, null, null, null,
                        null, null, false, false, null, null, false, null, null, server.knownHostsLine(), null, null)
                        .toRequest(ws, secrets, tmp.newFolder().toPath()), new RecordingListener());
            }

            DeployResult back = new Rollback().run(params(target, null, "E1AAA", server.knownHostsLine(),
                    cloudFront.endpoint().toString()).toRequest(ws, secrets, tmp.newFolder().toPath()),
                    new RecordingListener());
            assertEquals("rollback", back.operation());
            assertEquals("r2", back.release());
            assertEquals("r3", back.previousRelease());
            assertEquals("r2", Files.readSymbolicLink(www.resolve("production")).toString());
            assertEquals(List.of("/", "/index.html"), cloudFront.billedPaths("E1AAA").stream().sorted().toList());
            assertTrue(Files.readString(ws.resolve("cloudfront-deploy/report.json")).contains("\"rollback\""));

            DeployResult named = new Rollback().run(params(target, "r1", null, server.knownHostsLine(), null)
                    .toRequest(ws, secrets, tmp.newFolder().toPath()), new RecordingListener());
            assertEquals("r1", named.release());
            assertEquals("r1", Files.readSymbolicLink(www.resolve("production")).toString());
        }
    }
}
