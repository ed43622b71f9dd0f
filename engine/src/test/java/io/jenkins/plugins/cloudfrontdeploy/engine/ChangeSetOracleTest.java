package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Diffs;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Processes;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Random hostile trees and random edits, diffed over real OpenSSH. The change set must equal two independent
 * opinions: the trees hashed directly by the test, and {@code rsync -rn --checksum --delete} over the same server.
 */
public class ChangeSetOracleTest {
    private static final int ROUNDS = 6;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static OpenSshServer sshd;

    @BeforeClass
    public static void startServer() throws Exception {
        sshd = OpenSshServer.start(tmp.newFolder("sshd").toPath());
    }

    @AfterClass
    public static void stopServer() {
        sshd.close();
    }

    @Test
    public void randomTreesMatchTheOracleAndRsync() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            long seed = 1000 + round;
            Random random = new Random(seed);
            Path www = tmp.newFolder("www" + round).toPath();
            Path live = www.resolve("r" + round);
            Trees.randomTree(live, random, 40 + random.nextInt(60));
            Files.createSymbolicLink(www.resolve("production"), Path.of(live.getFileName().toString()));
            Path build = tmp.getRoot().toPath().resolve("build" + round);
            Trees.copy(live, build);
            Trees.mutate(build, random);

            TreeSet<String> expected = Trees.expectedChanges(Trees.snapshot(live), Trees.snapshot(build));
            DiffResult r = Diffs.run(build, sshd.url(www.resolve("production").toString()),
                    SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts()).build(),
                    tmp.newFolder().toPath(), new RecordingListener());
            assertFalse("seed " + seed + " changed nothing; the round proves little", expected.isEmpty());
            assertEquals("seed " + seed, expected, Diffs.lines(r));
            TreeSet<String> ours =
                    Diffs.lines(r).stream().map(s -> s.substring(2)).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> rsync = rsyncChangedPaths(build, live);
            TreeSet<String> onlyOurs = new TreeSet<>(ours);
            onlyOurs.removeAll(rsync);
            TreeSet<String> onlyRsync = new TreeSet<>(rsync);
            onlyRsync.removeAll(ours);
            assertEquals("seed " + seed + ": rsync disagrees; only ours " + onlyOurs + ", only rsync " + onlyRsync,
                    rsync, ours);
        }
        for (String canary : Trees.CANARIES) {
            assertFalse(Files.exists(Path.of(System.getProperty("user.home"), canary)));
        }
    }

    /** Paths of files and links rsync would send or delete (folders left out, as the change set leaves them). */
    private static TreeSet<String> rsyncChangedPaths(Path build, Path live) throws Exception {
        Processes.Result r = Processes.exec(null, List.of("rsync", "-rln", "--checksum", "--delete", "-8",
                "--out-format=%i %n", "-e", sshd.sshCommand(),
                build + "/", sshd.user() + "@127.0.0.1:" + live + "/"));
        assertEquals("rsync failed: " + r.output(), 0, r.exit());
        TreeSet<String> paths = new TreeSet<>();
        // split on real newlines first: a newline inside a name arrives escaped as \#012
        for (String escaped : new String(r.raw(), StandardCharsets.ISO_8859_1).split("\n")) {
            String line = unescape(escaped.getBytes(StandardCharsets.ISO_8859_1));
            if (line.startsWith("*deleting")) {
                String name = line.substring(12); // "%i" is 11 columns wide; a name may begin with a space
                if (!name.endsWith("/")) {
                    paths.add(name);
                }
            } else if (line.length() > 12 && (line.charAt(1) == 'f' || line.charAt(1) == 'L')
                    && "<>c".indexOf(line.charAt(0)) >= 0) {
                paths.add(line.substring(12));
            } else if (line.startsWith("cd+++++++++ ")) {
                // rsync itemizes a file replaced by a folder as the new folder alone
                String dir = line.substring(12, line.length() - 1);
                Path before = live.resolve(dir);
                if (Files.exists(before, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isDirectory(before, LinkOption.NOFOLLOW_LINKS)) {
                    paths.add(dir);
                }
            }
        }
        return paths;
    }

    /** rsync writes unprintable bytes as \#ooo. */
    private static String unescape(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && i + 4 < raw.length && raw[i + 1] == '#') {
                out.write(Integer.parseInt(new String(raw, i + 2, 3, StandardCharsets.US_ASCII), 8));
                i += 4;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
