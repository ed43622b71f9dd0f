package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The deploy as the Jenkins step and build step give it (text, blanks for defaults, secrets apart) becomes the
 * engine's request; and a deploy made that way, with the key as text and the host key pasted in, works.
 */
public class DeployParametersTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static DeployParameters params(String targets, String release, String distributions, String hostKeys) {
        return new DeployParameters("site", targets, release, "**/*.map,\n drafts/**", distributions, null, null,
                null, "files", null, false, false, null, 3, false, null, null, hostKeys, null, null, null, false);
    }

    @Test
    public void textBecomesTheEngineRequestWithItsDefaults() throws Exception {
        Path ws = tmp.newFolder("ws").toPath();
        DeployRequest r = params("ssh://web1/var/www/a/production,\nssh://ops@web2:2222/var/www/a/production", "42",
                "E1AAA E2BBB", null).toRequest(ws, new DeployParameters.Secrets("deploy", null, null, null, null,
                null, null), tmp.newFolder().toPath());
        assertEquals(ws.resolve("site").toString(), r.source());
        assertEquals(List.of("deploy", "ops"), r.targets().stream().map(t -> t.user()).toList());
        assertEquals(List.of("**/*.map", "drafts/**"), r.excludes());
        assertEquals(3, r.keep());
        assertEquals(ws.resolve("cloudfront-deploy").toString(), r.reportDir());
        assertEquals(List.of("E1AAA", "E2BBB"), r.invalidation().distributions());
        assertEquals(PlanMode.FILES, r.invalidation().mode());
        assertEquals(List.of("index.html"), r.invalidation().indexDocuments());
        assertEquals(HostKeyVerification.STRICT, r.ssh().hostKeyVerification());
        assertEquals(DeployRequest.DEFAULT_LOCK_TIMEOUT, r.lockTimeout());
        assertEquals(false, r.breakLock());
    }

    @Test
    public void theEdgeCheckAndTheOriginCheckReachTheRequestAndBadValuesAreNamedInTheStepsWords() throws Exception {
        Path ws = tmp.newFolder("ws-edge").toPath();
        DeployParameters p = params("/var/www/a/production", "7", "E1AAA", null);
        DeployRequest off = p.toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals(false, off.edge().enabled());
        assertEquals("no check, no forced wait", false, off.invalidation().waitForCompletion());
        assertEquals(List.of(), off.invalidation().originDomains());

        DeployRequest on = p.withEdgeCheck("https://www.example.com/", 7, "90s", true)
                .withOriginCheck("origin.example.com, www-origin.example.com", true)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals("https://www.example.com", on.edge().base().toString());
        assertEquals(7, on.edge().sample());
        assertEquals(java.time.Duration.ofSeconds(90), on.edge().timeout());
        assertEquals(true, on.edge().failOnStale());
        assertEquals("the edge is checked once the invalidations completed", true,
                on.invalidation().waitForCompletion());
        assertEquals(List.of("origin.example.com", "www-origin.example.com"), on.invalidation().originDomains());
        assertEquals(true, on.invalidation().checkOrigin());
        DeployRequest defaults = p.withEdgeCheck("http://127.0.0.1:8080/blog", null, " ", false)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals(20, defaults.edge().sample());
        assertEquals(java.time.Duration.ofMinutes(2), defaults.edge().timeout());

        DeployParameters step = p.withVocabulary(Vocabulary.PIPELINE);
        assertThat(assertThrows(DeployException.class, () -> step.withEdgeCheck("www.example.com", null, null, false)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws)).getMessage(), containsString(
                "verifyUrl: 'www.example.com' is not valid: give the address users load the site from, such as"
                        + " https://www.example.com"));
        assertThat(assertThrows(DeployException.class, () -> step.withEdgeCheck("https://a.example", null, "2 min",
                false).toRequest(ws, DeployParameters.Secrets.NONE, ws)).getMessage(), containsString(
                "verifyTimeout: '2 min' is not a duration: give a number with s, m or h, such as 90s or 2m"));
        assertThat(assertThrows(DeployException.class, () -> step.withVocabulary(Vocabulary.FORM)
                .withEdgeCheck("https://a.example", -1, null, false).toRequest(ws, DeployParameters.Secrets.NONE, ws))
                .getMessage(), containsString("\"URLs sampled\": -1 is not valid"));
    }

    @Test
    public void lockTimeoutAndBreakLockReachTheRequest() throws Exception {
        Path ws = tmp.newFolder("ws3").toPath();
        DeployRequest r = new DeployParameters("site", "/var/www/a/production", "1", null, null, null, null, null,
                null, null, false, false, null, null, false, null, null, null, null, null, 12, true)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals(java.time.Duration.ofMinutes(12), r.lockTimeout());
        assertEquals(true, r.breakLock());
    }

    @Test
    public void keepalivesReachTheConnectionSettingsAndBadOnesNameTheParameter() throws Exception {
        Path ws = tmp.newFolder("ws4").toPath();
        DeployParameters p = new DeployParameters("site", "/var/www/a/production", "1", null, null, null, null, null,
                null, null, false, false, null, null, false, null, null, null, null, null, null, false);
        SshSettings defaults = p.toRequest(ws, DeployParameters.Secrets.NONE, ws).ssh();
        assertEquals(java.time.Duration.ofSeconds(10), defaults.aliveInterval());
        assertEquals(2, defaults.aliveCountMax());
        assertEquals("a dead server is noticed within 30 s", java.time.Duration.ofSeconds(30), defaults.aliveTimeout());
        SshSettings given = p.withKeepalives(5, 4).toRequest(ws, DeployParameters.Secrets.NONE, ws).ssh();
        assertEquals(java.time.Duration.ofSeconds(5), given.aliveInterval());
        assertEquals(4, given.aliveCountMax());
        assertEquals("aliveIntervalSeconds: must be at least 1 second, not 0", assertThrows(DeployException.class,
                () -> p.withVocabulary(Vocabulary.PIPELINE).withKeepalives(0, null)
                        .toRequest(ws, DeployParameters.Secrets.NONE, ws)).getMessage());
        assertEquals("\"Keepalive count max\" must be at least 1, not 0", assertThrows(DeployException.class,
                () -> p.withVocabulary(Vocabulary.FORM).withKeepalives(null, 0)
                        .toRequest(ws, DeployParameters.Secrets.NONE, ws)).getMessage());
    }

    @Test
    public void keepRemovedReachesTheRequestAndABadValueNamesTheParameter() throws Exception {
        Path ws = tmp.newFolder("ws5").toPath();
        DeployParameters p = new DeployParameters("site", "/var/www/a/production", "1", null, null, null, null, null,
                null, null, false, false, null, null, false, null, null, null, null, null, null, false);
        DeployRequest defaults = p.toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals("the default keeps removed files one deploy", 1, defaults.keepRemoved());
        assertEquals(false, defaults.invalidateExpired());
        DeployRequest given = p.withKeepRemoved(3, true).toRequest(ws, DeployParameters.Secrets.NONE, ws);
        assertEquals(3, given.keepRemoved());
        assertEquals(true, given.invalidateExpired());
        assertEquals(0, p.withKeepRemoved(0, false).toRequest(ws, DeployParameters.Secrets.NONE, ws).keepRemoved());
        String pipeline = assertThrows(DeployException.class, () -> p.withVocabulary(Vocabulary.PIPELINE)
                .withKeepRemoved(-1, false).toRequest(ws, DeployParameters.Secrets.NONE, ws)).getMessage();
        assertTrue(pipeline, pipeline.startsWith("keepRemovedReleases: -1 is not valid"));
        String form = assertThrows(DeployException.class, () -> p.withVocabulary(Vocabulary.FORM)
                .withKeepRemoved(-1, false).toRequest(ws, DeployParameters.Secrets.NONE, ws)).getMessage();
        assertTrue(form, form.startsWith("\"Keep removed files for (deploys)\""));
        String cli = assertThrows(DeployException.class, () -> p.withKeepRemoved(-1, false)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws)).getMessage();
        assertTrue(cli, cli.startsWith("--keep-removed -1 is not valid"));
    }

    @Test
    public void indexDocumentsDefaultWhenBlankAndNoneWhenSaidSo() throws Exception {
        Path ws = tmp.newFolder("ws2").toPath();
        for (String[] c : new String[][] {{null, "[index.html]"}, {" ", "[index.html]"}, {"none", "[]"},
            {"index.htm, default.html", "[index.htm, default.html]"}}) {
            DeployParameters p = new DeployParameters("site", "/var/www/a/production", "1", null, "E1AAA", null, null,
                    c[0], null, null, false, false, null, null, false, null, null, null, null, null, null, false);
            assertEquals(c[1], p.toRequest(ws, DeployParameters.Secrets.NONE, ws).invalidation().indexDocuments()
                    .toString());
        }
    }

    @Test
    public void badValuesAreRefusedNamingThem() {
        Path ws = tmp.getRoot().toPath();
        DeployParameters.Secrets none = DeployParameters.Secrets.NONE;
        assertThat(assertThrows(DeployException.class, () -> params("ftp://x/y", "1", null, null).toRequest(ws,
                none, ws)).getMessage(), containsString("'ftp://x/y'"));
        assertThat(assertThrows(DeployException.class, () -> params("/var/www/a/production", "../1", null, null)
                .toRequest(ws, none, ws)).getMessage(), containsString("'../1'"));
        assertThat(assertThrows(DeployException.class, () -> DeployParameters.distributions("E1 bad-id"))
                .getMessage(), containsString("'bad-id'"));
        assertThat(assertThrows(DeployException.class, () -> DeployParameters.targets(" ", null)).getMessage(),
                containsString("no target"));
    }

    @Test
    public void aDeployWithTheKeyAsTextAndPastedHostKeysWorks() throws Exception {
        Path ws = tmp.newFolder("ws").toPath();
        Trees.write(ws.resolve("site"), "index.html", "hello\n");
        Path www = tmp.newFolder("www").toPath();
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "secret phrase", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path scratch = tmp.newFolder("scratch").toPath();
            String target = server.url("tester", www.resolve("production").toString());
            DeployResult result = new Deployment().run(params(target, "7", null, server.knownHostsLine())
                    .toRequest(ws, new DeployParameters.Secrets(null, Files.readString(key).toCharArray(),
                            "secret phrase".toCharArray(), null, null, null, null), scratch), new RecordingListener());
            assertEquals("7", result.release());
            assertEquals("7", Files.readSymbolicLink(www.resolve("production")).toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    scratch.resolve("known_hosts"))));
        }
    }
}
