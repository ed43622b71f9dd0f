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
}
