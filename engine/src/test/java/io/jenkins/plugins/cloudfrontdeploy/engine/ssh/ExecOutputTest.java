package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * An exec returns every byte the command printed, on both streams, and the exit status it ended with, however the
 * command treats its input and however busy the machine is; on the in-process server and on OpenSSH alike.
 */
public class ExecOutputTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Like the hashing command on a server without sha256sum: it prints, and exits without reading its input. */
    private static final String IGNORES_INPUT = "printf 'N\\0'; exit 3";
    private static final int ROUNDS = 50;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<AutoCloseable> servers = new ArrayList<>();

    @After
    public void stopServers() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private static SshConnection connect(String url, Path key, Path knownHosts) {
        SshSettings settings = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
        return SshConnection.open(SshTarget.parse(url), settings, new RecordingListener());
    }

    private SshConnection embedded(Path key) throws Exception {
        EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start();
        servers.add(server);
        Path knownHosts = tmp.newFile().toPath();
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        return connect(server.url("tester", "/srv/production"), key, knownHosts);
    }

    /**
     * Runs the command {@link #ROUNDS} times with input it never reads and returns one line per run that lost output
     * or got the wrong exit status. Whether the input reaches the server before or after the command has ended is
     * up to the scheduler, so each run is a new draw; the busier the machine, the more often it comes after.
     */
    private static List<String> runIgnoringInput(SshConnection connection) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SshConnection.ExecResult r = connection.exec(IGNORES_INPUT,
                    new ByteArrayInputStream("index.html\0".getBytes(StandardCharsets.UTF_8)), out, TIMEOUT);
            String got = out.toString(StandardCharsets.ISO_8859_1);
            if (!got.equals("N\0") || r.exitStatus() != 3) {
                wrong.add("run " + i + ": output '" + got.replace("\0", "\\0") + "', exit " + r.exitStatus());
            }
        }
        return wrong;
    }

    @Test
    public void embeddedServerKeepsTheOutputOfACommandThatExitsWithoutReadingItsInput() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id", "ed25519", "", false);
        try (SshConnection c = embedded(key)) {
            List<String> wrong = runIgnoringInput(c);
            assertEquals(wrong.size() + " of " + ROUNDS + " runs went wrong: " + wrong, List.of(), wrong);
        }
    }

    @Test
    public void openSshKeepsTheOutputOfACommandThatExitsWithoutReadingItsInput() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath());
                SshConnection c = connect(sshd.url("/srv/production"), sshd.userKey(), sshd.knownHosts())) {
            List<String> wrong = runIgnoringInput(c);
            assertEquals(wrong.size() + " of " + ROUNDS + " runs went wrong: " + wrong, List.of(), wrong);
        }
    }

    /** Three SSH windows' worth of output and some error output, all of it read, then the exit status. */
    private static void bigOutput(SshConnection c) throws Exception {
        String command = "head -c 6000000 /dev/zero | tr '\\0' x; printf 'last'; echo oops >&2; exit 7";
        byte[] expected = ("x".repeat(6_000_000) + "last").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SshConnection.ExecResult r = c.exec(command, null, out, TIMEOUT);
        assertEquals(7, r.exitStatus());
        assertEquals("oops", r.stderr());
        assertArrayEquals(expected, out.toByteArray());
    }

    @Test
    public void bigOutputArrivesWhole() throws Exception {
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id", "ed25519", "", false);
        try (SshConnection c = embedded(key)) {
            bigOutput(c);
        }
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath());
                SshConnection c = connect(sshd.url("/srv/production"), sshd.userKey(), sshd.knownHosts())) {
            bigOutput(c);
        }
    }

    @Test
    public void noExitStatusIsMinusOne() throws Exception {
        // a command killed by a signal: OpenSSH sends exit-signal and no exit-status
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath());
                SshConnection c = connect(sshd.url("/srv/production"), sshd.userKey(), sshd.knownHosts())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SshConnection.ExecResult r = c.exec("printf before; kill -9 $$", null, out, TIMEOUT);
            assertEquals(-1, r.exitStatus());
            assertEquals("before", out.toString(StandardCharsets.US_ASCII));
        }
    }
}
