package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Processes;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LocalScannerTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Manifest scan(Path src) throws Exception {
        return new LocalScanner(Excludes.none(), new ParallelHasher(3)).scan(src, ProgressListener.NONE);
    }

    @Test
    public void hashesAgreeWithSha256sumAndOrderIsByPath() throws Exception {
        Path src = tmp.newFolder("src").toPath();
        Trees.write(src, "b.txt", "bee\n");
        Trees.write(src, "a/z.txt", "zed\n");
        Trees.write(src, "empty", "");
        Files.write(src.resolve("big.bin"), new byte[3 * 1024 * 1024 + 17]); // spans many read chunks
        Manifest m = scan(src);
        assertEquals(List.of("a", "a/z.txt", "b.txt", "big.bin", "empty"),
                m.entries().stream().map(ManifestEntry::path).toList());
        for (ManifestEntry e : m.entries()) {
            if (e.type() == EntryType.FILE) {
                String sum = Processes.run(src, List.of("sha256sum", e.path())).substring(0, 64);
                assertEquals(e.path(), sum, e.sha256Hex());
                assertEquals(Files.size(src.resolve(e.path())), e.size());
            }
        }
    }

    @Test
    public void linksAreRecordedNotFollowed() throws Exception {
        Path outside = tmp.newFolder("outside").toPath();
        Trees.write(outside, "secret.txt", "do not read\n");
        Path src = tmp.newFolder("src").toPath();
        Trees.link(src, "escape", outside.toString());
        Trees.link(src, "dangling", "no-such-file");
        Manifest m = scan(src);
        assertEquals(2, m.size());
        ManifestEntry escape = m.find("escape").orElseThrow();
        assertEquals(EntryType.SYMLINK, escape.type());
        assertEquals(outside.toString().length(), escape.size());
        assertEquals(EntryType.SYMLINK, m.find("dangling").orElseThrow().type());
    }

    @Test
    public void nameThatIsNotUtf8IsRefusedByName() throws Exception {
        Path src = tmp.newFolder("src").toPath();
        Processes.run(src, List.of("bash", "-c", "printf x > $'bad\\xffname.html'"));
        DeployException e = assertThrows(DeployException.class, () -> scan(src));
        assertThat(e.getMessage(), containsString("is not valid UTF-8"));
        assertThat(e.getMessage(), containsString("name.html"));
    }

    @Test
    public void sourceMustBeAFolder() throws Exception {
        Path file = tmp.newFile("file.txt").toPath();
        DeployException e = assertThrows(DeployException.class, () -> scan(file));
        assertThat(e.getMessage(), containsString("the source " + file + " is not a folder"));
    }

    @Test
    public void sourceThatIsALinkToTheBuildIsFollowedButLinksInsideAreNot() throws Exception {
        Path outside = tmp.newFolder("outside").toPath();
        Trees.write(outside, "secret.txt", "do not read\n");
        Path build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "home\n");
        Trees.write(build, "css/site.css", "body {}\n");
        Trees.link(build, "escape", outside.toString());
        Trees.link(build, "style", "css");
        Path absolute = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("absolute"), build);
        Path relative = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("relative"), Path.of("build"));
        Path chain = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("chain"), Path.of("relative"));
        Manifest expected = scan(build);
        assertEquals(List.of("css", "css/site.css", "escape", "index.html", "style"),
                expected.entries().stream().map(ManifestEntry::path).toList());
        for (Path source : List.of(absolute, relative, chain)) {
            Manifest m = scan(source);
            assertEquals(source.toString(), expected.entries(), m.entries());
            assertEquals(EntryType.SYMLINK, m.find("escape").orElseThrow().type());
            assertEquals(EntryType.SYMLINK, m.find("style").orElseThrow().type());
        }
    }

    @Test
    public void sourceLinkToAFileIsRefused() throws Exception {
        Path file = tmp.newFile("site.html").toPath();
        Path source = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("site"), file);
        DeployException e = assertThrows(DeployException.class, () -> scan(source));
        assertThat(e.getMessage(), containsString("the source " + source + " is a symbolic link to " + file
                + ", which is not a folder; point --source at the folder your build writes the site to"));
    }

    @Test
    public void danglingSourceLinkIsRefused() throws Exception {
        Path source = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("site"), Path.of("no-such-build"));
        DeployException e = assertThrows(DeployException.class, () -> scan(source));
        assertThat(e.getMessage(), containsString("the source " + source + " is a symbolic link to no-such-build,"
                + " which does not exist; point --source at the folder your build writes the site to"));
    }

    /** Thousands of files (more than wait at once, more than one chunk of hash slots), links and folders among them. */
    private Path manyFiles() throws Exception {
        Path src = tmp.newFolder("many").toPath();
        for (int i = 0; i < 5000; i++) {
            Trees.write(src, "d" + (i % 37) + "/f" + i + ".txt", "file " + i + "\n".repeat(i % 5));
        }
        Trees.link(src, "d3/link", "f3.txt");
        return src;
    }

    @Test
    public void hashingWhileWalkingGivesWhatWalkingThenHashingGives() throws Exception {
        Path src = manyFiles();
        Manifest expected = scan(src);
        try (LocalScanner scanner = new LocalScanner(Excludes.none(), new ParallelHasher(3))) {
            Manifest listed = scanner.listWhileHashing(src, ProgressListener.NONE);
            assertEquals("the listing has no file hash yet", 1, listed.entries().stream()
                    .filter(ManifestEntry::hasHash).count());
            Manifest hashed = scanner.hash(src, listed, ProgressListener.NONE);
            assertEquals(expected.entries(), hashed.entries());
            assertEquals(5001 + 37, hashed.size());
        }
    }

    @Test
    public void closingStopsHashingNobodyWaitsFor() throws Exception {
        Path src = manyFiles();
        LocalScanner scanner = new LocalScanner(Excludes.none(), new ParallelHasher(2));
        scanner.listWhileHashing(src, ProgressListener.NONE);
        scanner.close();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("cloudfront-deploy-hash") && t.isAlive()) {
                t.join(10_000);
                assertEquals("a hashing thread still runs after close: " + t, false, t.isAlive());
            }
        }
    }
}
