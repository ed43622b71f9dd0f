package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ExcludesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void doubleStarAlsoMatchesAtTheTop() {
        Excludes e = new Excludes(List.of("**/*.map"));
        assertTrue(e.matches("app.js.map"));
        assertTrue(e.matches("js/deep/app.js.map"));
        assertFalse(e.matches("app.js"));
        assertFalse(e.matches("map/app.js"));
    }

    @Test
    public void excludedFolderDropsItsSubtree() throws Exception {
        Path src = tmp.newFolder("src").toPath();
        Trees.write(src, "index.html", "x");
        Trees.write(src, "node_modules/a/b.js", "x");
        Trees.write(src, "js/app.js.map", "x");
        Trees.write(src, "js/app.js", "x");
        Manifest m = new LocalScanner(new Excludes(List.of("node_modules", "**/*.map")), ParallelHasher.perCore())
                .scan(src, ProgressListener.NONE);
        assertEquals(List.of("index.html", "js", "js/app.js"), m.entries().stream().map(ManifestEntry::path).toList());
    }

    @Test
    public void badPatternsAreNamed() {
        DeployException e = assertThrows(DeployException.class, () -> new Excludes(List.of("[unclosed")));
        assertThat(e.getMessage(), containsString("'[unclosed' is not a valid glob"));
        assertThrows(DeployException.class, () -> new Excludes(List.of(" ")));
    }

    /** Java's own glob matcher stops its {@code **} at a line terminator: a name holding one must still match. */
    @Test
    public void wildcardsMatchNamesWhateverTheyHold() {
        Excludes e = new Excludes(List.of("**/*.map", "drafts/**", "t?p/*"));
        for (String odd : List.of("new\ndir", "tab\there", "back\\slash", "nel\u0085x", "ls\u2028x", "cr\rx",
                "caf\u00e9", "\u65e5\u672c", "bad\uFFFDbyte", "trail\n")) {
            assertTrue(odd, e.matches(odd + "/a.map"));
            assertTrue(odd, e.matches("deep/" + odd + "/a.map"));
            assertTrue(odd, e.matches(odd + ".map"));
            assertTrue(odd, e.matches("drafts/" + odd + "/x.html"));
            assertFalse(odd, e.matches(odd + "/a.map.html"));
        }
        assertTrue(e.matches("t\np/x"));
        assertFalse("a final newline is part of the name", e.matches("a.map\n"));
        assertFalse("* stays within one segment", new Excludes(List.of("*.map")).matches("new\ndir/a.map"));
    }

    @Test
    public void globSyntaxIsJavas() {
        Excludes e = new Excludes(List.of("{img,css}/*.{png,css}", "[!a-c]x.txt", "lit\\*eral", "[a-]z"));
        assertTrue(e.matches("img/a.png"));
        assertTrue(e.matches("css/b.css"));
        assertFalse(e.matches("js/a.png"));
        assertTrue(e.matches("dx.txt"));
        assertFalse(e.matches("bx.txt"));
        assertTrue(e.matches("lit*eral"));
        assertFalse(e.matches("litXeral"));
        assertTrue(e.matches("-z"));
        assertTrue(e.matches("az"));
        assertFalse(e.matches("bz"));
        for (String bad : List.of("a{b", "{a,{b}}", "tail\\", "[z-a]", "[a/b]")) {
            DeployException thrown = assertThrows(bad, DeployException.class, () -> new Excludes(List.of(bad)));
            assertThat(thrown.getMessage(), containsString("'" + bad + "' is not a valid glob ("));
            assertFalse(thrown.getMessage(), thrown.getMessage().contains("\n"));
        }
    }

    /** Real files whose names hold a newline, a tab, a backslash and characters beyond ASCII. */
    @Test
    public void oddNamesOnDiskAreExcluded() throws Exception {
        Path src = tmp.newFolder("odd").toPath();
        Trees.write(src, "index.html", "x");
        List<String> odd = List.of("new\ndir", "tab\tdir", "back\\slash", "caf\u00e9", "nel\u0085dir");
        for (String name : odd) {
            Trees.write(src, name + "/a.map", "x");
            Trees.write(src, name + "/a.js", "x");
        }
        Manifest m = new LocalScanner(new Excludes(List.of("**/*.map")), ParallelHasher.perCore())
                .scan(src, ProgressListener.NONE);
        List<String> paths = m.entries().stream().map(ManifestEntry::path).toList();
        for (String name : odd) {
            assertTrue(paths.toString(), paths.contains(name + "/a.js"));
            assertFalse(paths.toString(), paths.contains(name + "/a.map"));
        }
    }
}
