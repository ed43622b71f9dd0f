package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Diffs;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A source given as a symbolic link to the build (a CI job that publishes its output as {@code site -> build-42})
 * is the build itself: diff and deploy through the link change exactly what they change through the folder. Links
 * inside the build stay links. Local transport: real folders and links on disk.
 */
public class SourceLinkTest {
    private static final Set<String> CHANGES =
            Set.of("M index.html", "D gone.html", "A news/today.html", "A latest", "A styles");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path build;
    private Path sourceLink;

    @Before
    public void buildAndLink() throws Exception {
        build = tmp.newFolder("build-42").toPath();
        Trees.write(build, "index.html", "new home\n");
        Trees.write(build, "css/site.css", "body {}\n");
        Trees.write(build, "news/today.html", "news\n");
        Trees.link(build, "latest", "news/today.html");
        Trees.link(build, "styles", "css");
        sourceLink = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("site"), Path.of("build-42"));
    }

    /** A site whose live release 1.0.3 has an older home page, the same stylesheet and a page the build dropped. */
    private Path site(String name) throws Exception {
        Path www = tmp.newFolder(name).toPath();
        Trees.write(www.resolve("1.0.3"), "index.html", "old home\n");
        Trees.write(www.resolve("1.0.3"), "css/site.css", "body {}\n");
        Trees.write(www.resolve("1.0.3"), "gone.html", "gone\n");
        return Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.3"));
    }

    private static void assertNoEmptyPath(Path report) throws Exception {
        for (String line : Files.readAllLines(report.resolve("changes.txt"))) {
            assertTrue("a change without a path: '" + line + "'", line.matches("[AMD]\t.+"));
        }
    }

    @Test
    public void diffThroughASourceLinkEqualsDiffThroughTheFolder() throws Exception {
        Path production = site("www");
        Path directReport = tmp.newFolder().toPath();
        Path linkReport = tmp.newFolder().toPath();
        DiffResult direct = Diffs.run(build, production.toString(), null, directReport, new RecordingListener());
        DiffResult linked = Diffs.run(sourceLink, production.toString(), null, linkReport, new RecordingListener());
        assertEquals(CHANGES, Diffs.lines(direct));
        assertEquals(CHANGES, Diffs.lines(linked));
        assertEquals(direct.changes().unchanged(), linked.changes().unchanged());
        assertEquals(Files.readAllLines(directReport.resolve("changes.txt")),
                Files.readAllLines(linkReport.resolve("changes.txt")));
        assertNoEmptyPath(linkReport);
    }

    @Test
    public void deployThroughASourceLinkEqualsDeployThroughTheFolder() throws Exception {
        Path viaFolder = site("www-a");
        Path viaLink = site("www-b");
        Path directReport = tmp.newFolder().toPath();
        Path linkReport = tmp.newFolder().toPath();
        DeployResult direct = Deploys.run(Deploys.request(build, "r1", null, directReport, viaFolder.toString()),
                new RecordingListener());
        DeployResult linked = Deploys.run(Deploys.request(sourceLink, "r1", null, linkReport, viaLink.toString()),
                new RecordingListener());
        assertEquals(CHANGES, Deploys.lines(direct));
        assertEquals(CHANGES, Deploys.lines(linked));
        assertEquals(Files.readAllLines(directReport.resolve("changes.txt")),
                Files.readAllLines(linkReport.resolve("changes.txt")));
        assertNoEmptyPath(linkReport);
        for (Path production : List.of(viaFolder, viaLink)) {
            assertEquals("r1", Files.readSymbolicLink(production).toString());
            Path release = production.resolveSibling("r1");
            assertEquals(Trees.snapshot(build), Trees.snapshot(release));
            assertTrue("a link in the build stays a link", Files.isSymbolicLink(release.resolve("styles")));
        }
    }
}
