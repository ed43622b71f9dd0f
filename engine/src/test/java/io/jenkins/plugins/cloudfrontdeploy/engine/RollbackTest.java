package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThat;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.LocalServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Rollback run again after it finished, on the local transport.
 */
public class RollbackTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path www;
    private Path link;

    @Before
    public void site() throws Exception {
        www = tmp.newFolder("www").toPath();
        link = www.resolve("production");
    }

    private Path build(String name) throws Exception {
        Path b = tmp.newFolder("build-" + name).toPath();
        Trees.write(b, "index.html", "release " + name + "\n");
        Trees.write(b, "same.css", "css\n");
        Trees.write(b, name + ".html", "only in " + name + "\n");
        return b;
    }

    private void deploy(String release, int keep, SshSettings ssh, String... targets) throws Exception {
        Deploys.run(Deploys.request(build(release), release, ssh, tmp.newFolder().toPath(), targets).keep(keep),
                new RecordingListener());
    }

    private void deploy(String release, int keep) throws Exception {
        deploy(release, keep, null, link.toString());
    }

    private DeployResult rollback(String to, RecordingListener listener, Path report, SshSettings ssh,
            String... targets) throws Exception {
        List<SshTarget> parsed = Stream.of(targets).map(SshTarget::parse).toList();
        return new Rollback().run(new RollbackRequest(parsed, to, ssh, null, report.toString(), null, false, false,
                null), listener);
    }

    private DeployResult rollback(String to, RecordingListener listener) throws Exception {
        return rollback(to, listener, tmp.newFolder().toPath(), null, link.toString());
    }

    private static String live(Path www) throws Exception {
        return Files.readSymbolicLink(www.resolve("production")).toString();
    }

    private static List<String> bad(Path www) throws Exception {
        Path dir = www.resolve(".cloudfront-deploy/abandoned");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private ReleaseCatalog catalog() throws Exception {
        try (LocalServer server = new LocalServer(SshTarget.parse(link.toString()), Duration.ofMinutes(1))) {
            return ReleaseCatalog.read(server, SiteLayout.of(server.target(), null),
                    server.reader().list(ProgressListener.NONE).release());
        }
    }

    private static Map<String, ReleaseCatalog.Entry> byName(ReleaseCatalog catalog) {
        Map<String, ReleaseCatalog.Entry> out = new TreeMap<>();
        catalog.entries().forEach(e -> out.put(e.name(), e));
        return out;
    }

    @Test
    public void aFinishedRollbackRunAgainIsANoOpThatSaysSo() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        deploy("r3", 5);
        Path firstReport = tmp.newFolder().toPath();
        DeployResult first = rollback(null, new RecordingListener(), firstReport, null, link.toString());
        assertEquals("r2", live(www));
        assertEquals("r2", first.release());

        RecordingListener l = new RecordingListener();
        Path againReport = tmp.newFolder().toPath();
        DeployResult again = rollback(null, l, againReport, null, link.toString());
        assertEquals("not one release too far", "r2", live(www));
        assertEquals(List.of("r3"), bad(www));
        assertEquals("r2", again.release());
        assertEquals("r3", again.previousRelease());
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("production is already on r2: the"
                + " rollback from r3 to r2 finished at ") && i.endsWith("; nothing to do. To go back further, name"
                + " the release with --to")));
        assertThat(again.hosts().get(0).state(), containsString("nothing to do"));
        assertEquals("the same changes as that rollback", Deploys.lines(first), Deploys.lines(again));
        assertEquals(Files.readAllLines(firstReport.resolve("changes.txt")),
                Files.readAllLines(againReport.resolve("changes.txt")));
        assertNull(again.invalidation());

        DeployResult named = rollback("r2", new RecordingListener());
        assertEquals("--to naming the live release is the same no-op", "r2", live(www));
        assertEquals(Deploys.lines(first), Deploys.lines(named));
        assertFalse(Files.exists(www.resolve(".cloudfront-deploy/lock")));

        ReleaseCatalog catalog = catalog();
        assertNull("rollback without --to chooses nothing", catalog.rollbackTarget());
        assertEquals("r2", catalog.finishedRollback().to());
        assertFalse(byName(catalog).get("r1").rollbackTarget());
    }

    @Test
    public void aNewDeployAfterAFinishedRollbackIsRolledBackAsUsual() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        deploy("r3", 5);
        rollback(null, new RecordingListener());
        deploy("r4", 5);
        assertEquals("r2", catalog().rollbackTarget().name());
        DeployResult back = rollback(null, new RecordingListener());
        assertEquals("r4's previous", "r2", live(www));
        assertEquals("r4", back.previousRelease());
        assertEquals(List.of("r3", "r4"), bad(www));
        RecordingListener l = new RecordingListener();
        rollback(null, l);
        assertEquals("r2", live(www));
        assertTrue(l.infos.toString(), l.infos.stream().anyMatch(i -> i.contains("the rollback from r4 to r2")));
    }

    @Test
    public void toNamesAnOlderReleaseAfterAFinishedRollback() throws Exception {
        deploy("r1", 5);
        deploy("r2", 5);
        deploy("r3", 5);
        rollback(null, new RecordingListener());
        DeployResult further = rollback("r1", new RecordingListener());
        assertEquals("r1", live(www));
        assertEquals("r2", further.previousRelease());
        assertEquals(List.of("r2", "r3"), bad(www));
    }
}
