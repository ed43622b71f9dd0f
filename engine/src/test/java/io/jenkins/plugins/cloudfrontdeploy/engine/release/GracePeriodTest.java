package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.StoredManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

/** The rule for which removed files stay, how long, and what their marks become in the stored manifest. */
public class GracePeriodTest {
    private static final List<String> INDEX = List.of("index.html");

    private static List<ManifestEntry> tree(String... paths) {
        List<ManifestEntry> out = new ArrayList<>();
        for (String p : paths) {
            out.add(p.endsWith("/") ? ManifestEntry.directory(p.substring(0, p.length() - 1))
                    : new ManifestEntry(p, EntryType.FILE, 1, null));
        }
        out.sort(null);
        return out;
    }

    @Test
    public void documentsAreNeverKeptWhateverTheirNameAndEverythingElseIs() {
        for (String page : List.of("about.html", "docs/index.html", "OLD.HTM", "feed.xhtml", "a/index.html")) {
            assertTrue(page, GracePeriod.isDocument(page, INDEX));
        }
        for (String asset : List.of("app.3f9c1e.js", "_next/static/b1/_buildManifest.js", "img/logo.png",
                "index.html.gz", "data.json", "html")) {
            assertFalse(asset, GracePeriod.isDocument(asset, INDEX));
        }
        assertTrue("a configured index document is a page", GracePeriod.isDocument("d/default.php",
                List.of("default.php")));
    }

    @Test
    public void aRemovedFileIsKeptWithItsFoldersUntilNLaterDeploys() {
        List<ManifestEntry> previous = tree("index.html", "app.1.js", "old/", "old/chunk.js", "about.html", "k/",
                "k/x.js");
        List<ManifestEntry> build = tree("index.html", "app.2.js", "k", "k2/");
        GracePeriod.Decision d = GracePeriod.decide(previous, Map.of(), build, 2, INDEX);
        // about.html is a page; k/x.js sits under what is now a file of the build
        assertEquals(Map.of("app.1.js", 0, "old", GracePeriod.FOLDER, "old/chunk.js", 0), d.marks());
        assertEquals(new TreeMap<>(Map.of("app.1.js", 0, "old/chunk.js", 0)), d.files());
        assertEquals(List.of(), d.expired());
        assertEquals(List.of("app.1.js", "old", "old/chunk.js"), d.entries().stream().map(ManifestEntry::path)
                .toList());

        // the next deploy: one older, still within 2
        List<ManifestEntry> second = tree("index.html", "app.2.js", "app.1.js", "old/", "old/chunk.js", "k");
        GracePeriod.Decision d2 = GracePeriod.decide(second, d.marks(), tree("index.html", "app.3.js", "k"), 2,
                INDEX);
        assertEquals(Map.of("app.1.js", 1, "old", GracePeriod.FOLDER, "old/chunk.js", 1, "app.2.js", 0),
                d2.marks());
        // then they go; a kept file the build brings back is the build's again, neither kept nor expired
        List<ManifestEntry> third = tree("index.html", "app.3.js", "app.2.js", "app.1.js", "old/", "old/chunk.js",
                "k");
        GracePeriod.Decision d3 = GracePeriod.decide(third, d2.marks(), tree("index.html", "app.3.js", "app.1.js",
                "k"), 2, INDEX);
        assertEquals(Map.of("app.2.js", 1), d3.marks());
        assertEquals(List.of("old/chunk.js"), d3.expired());
    }

    @Test
    public void zeroKeepsNothingAndLetsEveryKeptFileGo() {
        List<ManifestEntry> previous = tree("index.html", "a.js", "b.js");
        assertEquals(GracePeriod.NONE, GracePeriod.decide(previous, Map.of(), tree("index.html"), 0, INDEX));
        GracePeriod.Decision d = GracePeriod.decide(previous, Map.of("a.js", 0), tree("index.html"), 0, INDEX);
        assertEquals(Map.of(), d.marks());
        assertEquals(List.of("a.js"), d.expired());
    }

    @Test
    public void marksRoundTripAndBelongToTheLastSegmentOnly() throws Exception {
        ManifestEntry f = new ManifestEntry("it's $(x)\n.js", EntryType.FILE, 3, new byte[32], 1000);
        byte[] base = StoredManifest.encode(List.of(f), Map.of("it's $(x)\n.js", 0, "old", GracePeriod.FOLDER));
        assertEquals(Map.of("it's $(x)\n.js", 0, "old", -1), StoredManifest.parse(base).marks());
        byte[] appended = StoredManifest.encode(List.of(), Map.of("b.js", 1));
        byte[] both = new byte[base.length + appended.length];
        System.arraycopy(base, 0, both, 0, base.length);
        System.arraycopy(appended, 0, both, base.length, appended.length);
        StoredManifest read = StoredManifest.parse(both);
        assertEquals(Map.of("b.js", 1), read.marks());
        assertEquals(1, read.records());
        assertEquals(Map.of(), StoredManifest.parse(StoredManifest.encode(List.of(f))).marks());
    }
}
