package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The shared scripts, run by a real {@code sh}. */
public class ShellScriptsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aFileIsReplacedWholeOrNotAtAll() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("state/it's a journal.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"old\":true}");
        LocalServer sh = new LocalServer(SshTarget.parse(tmp.getRoot().toString()), Duration.ofSeconds(30));
        byte[] json = "{\"new\":true}".getBytes(StandardCharsets.UTF_8);

        // the client was cut off after half its input: sh saw the input end early, as if the file were shorter
        byte[] half = java.util.Arrays.copyOf(json, json.length / 2);
        Server.Result cut = sh.run(ShellScripts.writeFile(file.toString(), json.length), half);
        assertNotEquals(0, cut.exitStatus());
        assertEquals("{\"old\":true}", Files.readString(file));
        assertFalse(Files.exists(file.resolveSibling(file.getFileName() + ".tmp")));

        Server.Result whole = sh.run(ShellScripts.writeFile(file.toString(), json.length), json);
        assertEquals(whole.stderr(), 0, whole.exitStatus());
        assertEquals("{\"new\":true}", Files.readString(file));
    }
}
