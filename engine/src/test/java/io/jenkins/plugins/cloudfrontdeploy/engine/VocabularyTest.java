package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The same failure speaks each front end's words: {@code --source} on the command line, {@code source:} in a Pipeline,
 * {@code "Source folder"} in a form; and no engine message outside the command line's vocabulary spells an option
 * the command line's way.
 */
public class VocabularyTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static DeployParameters params(String source, String target, String release, String hostKeys) {
        return new DeployParameters(source, target, release, null, null, null, null, null, null, null, false, false,
                null, null, false, null, null, hostKeys, null, null);
    }

    private String failure(DeployParameters p, Vocabulary words) {
        Path ws = tmp.getRoot().toPath();
        return assertThrows(DeployException.class, () -> new Deployment().run(p.withVocabulary(words)
                .toRequest(ws, DeployParameters.Secrets.NONE, ws), new RecordingListener())).getMessage();
    }

    @Test
    public void aMissingSourceIsNamedAsEachFrontEndSpellsIt() throws Exception {
        DeployParameters blank = params(" ", "/var/www/a/production", "1", null);
        assertThat(failure(blank, Vocabulary.CLI), containsString("(--source build/site)"));
        String pipeline = failure(blank, Vocabulary.PIPELINE);
        assertThat(pipeline, containsString("(source: 'build/site')"));
        assertThat(pipeline, not(containsString("--")));
        assertThat(failure(blank, Vocabulary.FORM), containsString("(\"Source folder\": build/site)"));

        Path www = tmp.newFolder("www").toPath();
        DeployParameters missing = params("no-such-build", www.resolve("production").toString(), "1", null);
        assertThat(failure(missing, Vocabulary.CLI), containsString("; point --source at the folder"));
        String step = failure(missing, Vocabulary.PIPELINE);
        assertThat(step, containsString("; point source: at the folder"));
        assertThat(step, not(containsString("--source")));
        assertThat(failure(missing, Vocabulary.FORM), containsString("; point \"Source folder\" at the folder"));
    }

    @Test
    public void aReleaseDeployedBeforeIsRolledBackToTheFrontEndsWay() throws Exception {
        Path build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "one\n");
        String link = tmp.newFolder("www").toPath().resolve("production").toString();
        Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(), link), new RecordingListener());
        Deploys.run(Deploys.request(build, "r2", null, tmp.newFolder().toPath(), link), new RecordingListener());

        String cli = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", null,
                tmp.newFolder().toPath(), link), new RecordingListener())).getMessage();
        assertThat(cli, containsString("go back to it with: cloudfront-deploy rollback --to r1"));
        String pipeline = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", null,
                tmp.newFolder().toPath(), link).vocabulary(Vocabulary.PIPELINE), new RecordingListener()))
                .getMessage();
        assertThat(pipeline, containsString("go back to it with: cloudfrontRollback(target: …, to: 'r1')"));
        assertThat(pipeline, not(containsString("cloudfront-deploy rollback")));
    }

    @Test
    public void aHeldLockIsBrokenTheFrontEndsWay() throws Exception {
        Path build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "one\n");
        Path link = tmp.newFolder("www").toPath().resolve("production");
        Path lock = link.resolveSibling(".cloudfront-deploy/lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("owner.json"),
                "{\"host\":\"ci-7\",\"user\":\"jenkins\",\"since\":\"2026-01-01T00:00:00Z\",\"release\":\"r0\"}");

        String cli = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", null,
                tmp.newFolder().toPath(), link.toString()).lockTimeout(Duration.ZERO), new RecordingListener()))
                .getMessage();
        assertThat(cli, containsString("if it died, run again with --break-lock"));
        // the step names its own parameter, never the command line's option
        String pipeline = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", null,
                tmp.newFolder().toPath(), link.toString()).lockTimeout(Duration.ZERO)
                .vocabulary(Vocabulary.PIPELINE), new RecordingListener())).getMessage();
        assertThat(pipeline, containsString("if it died, run again with breakLock: true"));
        assertThat(pipeline, not(containsString("--break-lock")));
        String form = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", null,
                tmp.newFolder().toPath(), link.toString()).lockTimeout(Duration.ZERO)
                .vocabulary(Vocabulary.FORM), new RecordingListener())).getMessage();
        assertThat(form, containsString("if it died, run again with \"Break the deploy lock\" ticked"));
        assertThat(form, not(containsString("--break-lock")));
    }

    @Test
    public void aChangedApprovedHostKeyIsFixedInTheConfigurationNotInATemporaryFile() throws Exception {
        Path ws = tmp.newFolder("ws").toPath();
        Trees.write(ws.resolve("site"), "index.html", "hello\n");
        Path www = tmp.newFolder("www").toPath();
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        String[] other = Files.readString(TestKeys.pub(TestKeys.generate(tmp.getRoot().toPath(), "other_host",
                "ed25519", "", false))).trim().split(" ");
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            String target = server.url("tester", www.resolve("production").toString());
            DeployParameters.Secrets secrets = new DeployParameters.Secrets(null, Files.readString(key).toCharArray(),
                    null, null, null, null, null);
            String changed = "[127.0.0.1]:" + server.port() + " " + other[0] + " " + other[1];
            for (Vocabulary words : List.of(Vocabulary.PIPELINE, Vocabulary.FORM)) {
                Path scratch = tmp.newFolder().toPath();
                String msg = assertThrows(DeployException.class, () -> new Deployment().run(
                        params("site", target, "1", changed).withVocabulary(words).toRequest(ws, secrets, scratch),
                        new RecordingListener())).getMessage();
                assertThat(msg, containsString("HAS CHANGED"));
                assertThat(msg, containsString("the approved host keys have"));
                assertThat(msg, containsString("update the key in " + words.approvedHostKeys()));
                assertThat(msg, not(containsString(scratch.toString())));
                assertThat(msg, not(containsString("ssh-keygen")));
            }
            assertThat(Vocabulary.PIPELINE.approvedHostKeys(), containsString("hostKeyVerification: manuallyProvidedKey"));
            assertThat(Vocabulary.FORM.approvedHostKeys(), containsString("the job's host key setting"));

            // keys approved for another host only: the line to add is given
            Path scratch = tmp.newFolder().toPath();
            String unknown = assertThrows(DeployException.class, () -> new Deployment().run(params("site", target,
                    "1", "web9 " + other[0] + " " + other[1]).withVocabulary(Vocabulary.PIPELINE)
                    .toRequest(ws, secrets, scratch), new RecordingListener())).getMessage();
            assertThat(unknown, containsString("is not among the approved host keys"));
            assertThat(unknown, containsString(server.knownHostsLine().trim()));
            assertThat(unknown, not(containsString(scratch.toString())));
            assertEquals("nothing was deployed", List.of(), listing(www));
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    public void awsSettingsSpeakTheFrontEndsWords() {
        assertThat(assertThrows(DeployException.class, () -> new DeployParameters("site", "/var/www/a/production",
                "1", null, null, null, null, null, null, null, false, false, 0, null, false, null, null, null, null,
                null).withVocabulary(Vocabulary.PIPELINE).toRequest(tmp.getRoot().toPath(),
                DeployParameters.Secrets.NONE, tmp.getRoot().toPath())).getMessage(),
                containsString("waitTimeoutMinutes: 0 is not valid"));
    }

    /** A string literal that spells an option the command line's way ({@code --source}), or names its command. */
    private static final Pattern CLI_WORDS =
            Pattern.compile("(?:^|[\\s(])--[a-z]|cloudfront-deploy (?:deploy|diff|rollback|releases|invalidate)\\b");

    @Test
    public void onlyTheCommandLinesVocabularySpellsItsOptions() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.getFileName().toString().equals("CliVocabulary.java")) {
                    continue;
                }
                for (String literal : stringLiterals(Files.readString(f))) {
                    if (CLI_WORDS.matcher(literal).find()) {
                        found.add(f.getFileName() + ": \"" + literal + "\"");
                    }
                }
            }
        }
        assertEquals("messages must name options through the request's Vocabulary", List.of(), found);
    }

    /** The contents of the string literals of a Java source, comments and character literals skipped. */
    static List<String> stringLiterals(String src) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                i = src.indexOf('\n', i) < 0 ? src.length() : src.indexOf('\n', i);
            } else if (src.startsWith("/*", i)) {
                i = src.indexOf("*/", i + 2) + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                out.add(src.substring(i + 3, end));
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                StringBuilder s = new StringBuilder();
                int j = i + 1;
                while (src.charAt(j) != c) {
                    if (src.charAt(j) == '\\') {
                        s.append(src.charAt(j++));
                    }
                    s.append(src.charAt(j++));
                }
                if (c == '"') {
                    out.add(s.toString());
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    @Test
    public void theScanFindsWhatItLooksFor() {
        List<String> literals = stringLiterals("// \"--a\"\n/* \"--b\" */ x = 'c' + \"give --keep 2\" + \"it's \\\"q\\\"\";");
        assertEquals(List.of("give --keep 2", "it's \\\"q\\\""), literals);
        assertEquals(true, CLI_WORDS.matcher(literals.get(0)).find());
        assertEquals(false, CLI_WORDS.matcher("rw-r--r--").find());
        assertEquals(true, CLI_WORDS.matcher("see cloudfront-deploy releases").find());
    }
}
