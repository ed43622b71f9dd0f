package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.util.List;
import org.junit.Test;

public class UrlMapperTest {
    private final UrlMapper root = new UrlMapper(null, null, false);

    private static List<String> paths(List<InvalidationPath> paths) {
        return paths.stream().map(InvalidationPath::path).toList();
    }

    private String only(String relativePath) {
        List<InvalidationPath> urls = root.urls(relativePath);
        assertEquals(urls.toString(), 1, urls.size());
        assertFalse(relativePath, urls.get(0).wildcard());
        return urls.get(0).path();
    }

    @Test
    public void encodesUnsafeCharacters() {
        assertEquals("/a%20b.html", only("a b.html"));
        assertEquals("/c%23sharp.html", only("c#sharp.html"));
        assertEquals("/100%25.html", only("100%.html"));
        assertEquals("/what%3F.html", only("what?.html"));
        assertEquals("/%22quoted%22.txt", only("\"quoted\".txt"));
        assertEquals("/%3Ctag%3E%7Bx%7D%7Cy%5Cz%5E%5Bi%5D%60.txt", only("<tag>{x}|y\\z^[i]`.txt"));
        assertEquals("/dir%20one/file.txt", only("dir one/file.txt"));
    }

    @Test
    public void encodesNonAsciiAsUtf8UpperHex() {
        assertEquals("/%C3%BCber.html", only("über.html"));
        assertEquals("/%E2%82%AC.txt", only("€.txt"));
        assertEquals("/smile%F0%9F%98%80.png", only("smile\uD83D\uDE00.png"));
    }

    @Test
    public void encodesControlCharacters() {
        assertEquals("/line%0Abreak", only("line\nbreak"));
        assertEquals("/tab%09del%7Fnul%00", only("tab\tdel\u007Fnul\u0000"));
    }

    @Test
    public void leavesEveryOtherCharacterRaw() {
        // Over-encoding any of these makes the invalidation silently miss.
        String name = "a&b+c=d,e;f@g(h)i!j'k$l:m-n_o.p";
        assertEquals("/x/" + name, only("x/" + name));
        assertEquals("/a*b.html", only("a*b.html"));
    }

    @Test
    public void trailingStarIsAWildcard() {
        List<InvalidationPath> urls = root.urls("docs/notes*");
        assertEquals(List.of(new InvalidationPath("/docs/notes*", true)), urls);
    }

    @Test
    public void tildeBecomesAWildcardOnWhatPrecedesIt() {
        assertEquals(List.of(new InvalidationPath("/docs/a*", true)), root.urls("docs/a~b.html"));
        assertEquals(List.of(new InvalidationPath("/docs/*", true)), root.urls("docs/~backup"));
        assertEquals(List.of(new InvalidationPath("/*", true)), root.urls("~user/page.html"));
        assertEquals(List.of(new InvalidationPath("/a%20b*", true)), root.urls("a b~c"));
        // The directory URLs of an index under a '~' folder fold into the same wildcard.
        assertEquals(List.of("/x/a*"), paths(new UrlMapper("/", null, true).urls("x/a~b/index.html")));
    }

    @Test
    public void prefixedTildeKeepsThePrefix() {
        assertEquals(List.of("/static/*"), paths(new UrlMapper("/static", null, false).urls("~x")));
    }

    @Test
    public void rootIndexAlsoYieldsTheRoot() {
        assertEquals(List.of("/index.html", "/"), paths(root.urls("index.html")));
        // Not "" without a slash: the root has no such URL.
        assertEquals(List.of("/index.html", "/"), paths(new UrlMapper("/", null, true).urls("index.html")));
    }

    @Test
    public void subdirectoryIndex() {
        assertEquals(List.of("/a/b/index.html", "/a/b/"), paths(root.urls("a/b/index.html")));
        assertEquals(
                List.of("/a/b/index.html", "/a/b/", "/a/b"),
                paths(new UrlMapper("/", List.of("index.html"), true).urls("a/b/index.html")));
        assertEquals(
                List.of("/a%20b/index.html", "/a%20b/", "/a%20b"),
                paths(new UrlMapper(null, null, true).urls("a b/index.html")));
        assertEquals(List.of("/a/b/page.html"), paths(root.urls("a/b/page.html")));
        assertEquals(List.of("/a/b/index.htm"), paths(root.urls("a/b/index.htm")));
    }

    @Test
    public void customAndEmptyIndexDocuments() {
        UrlMapper custom = new UrlMapper("/", List.of("index.htm", "default.html"), false);
        assertEquals(List.of("/a/index.htm", "/a/"), paths(custom.urls("a/index.htm")));
        assertEquals(List.of("/default.html", "/"), paths(custom.urls("default.html")));
        assertEquals(List.of("/a/index.html"), paths(custom.urls("a/index.html")));
        UrlMapper none = new UrlMapper("/", List.of(), true);
        assertEquals(List.of("/index.html"), paths(none.urls("index.html")));
        assertEquals(List.of("/a/index.html"), paths(none.urls("a/index.html")));
        DeployException e =
                assertThrows(DeployException.class, () -> new UrlMapper("/", List.of("a/index.html"), false));
        assertTrue(e.getMessage(), e.getMessage().contains("\"a/index.html\""));
    }

    @Test
    public void prefixIsNormalised() {
        for (String prefix : new String[] {"/static", "/static/"}) {
            UrlMapper m = new UrlMapper(prefix, null, true);
            assertEquals("/static/", m.prefix());
            assertEquals(List.of("/static/a.html"), paths(m.urls("a.html")));
            assertEquals(List.of("/static/index.html", "/static/"), paths(m.urls("index.html")));
            assertEquals(List.of("/static/d/index.html", "/static/d/", "/static/d"), paths(m.urls("d/index.html")));
        }
        assertEquals("/", new UrlMapper("", null, false).prefix());
        assertEquals("/my%20site/%C3%BC/", new UrlMapper("/my site/ü", null, false).prefix());
        assertEquals("/a&b+c/", new UrlMapper("/a&b+c", null, false).prefix());
    }

    @Test
    public void invalidPrefixesAreRejectedNamingTheValue() {
        for (String bad : new String[] {
            "static", "/static/*", "/~user", "/a?b", "/a#b", "//static", "/a//b", "/a/./b", "/a/..", "/./", "/a\nb"
        }) {
            DeployException e = assertThrows(bad, DeployException.class, () -> new UrlMapper(bad, null, false));
            assertTrue(e.getMessage(), e.getMessage().contains(UrlMapper.shown(bad)));
            assertFalse(e.getMessage(), e.getMessage().contains("\n"));
        }
        DeployException e = assertThrows(DeployException.class, () -> new UrlMapper("static", null, false));
        assertTrue(e.getMessage(), e.getMessage().contains("\"/static\""));
    }

    @Test
    public void pathsOver4000CharactersBecomeWildcards() {
        String exact = "d/" + "x".repeat(3995); // "/d/" + 3995 = 3998 characters
        assertEquals(List.of(new InvalidationPath("/" + exact, false)), root.urls(exact));
        String atLimit = "d/" + "x".repeat(3997); // 4000
        assertEquals(List.of(new InvalidationPath("/" + atLimit, false)), root.urls(atLimit));

        String longName = "d/" + "x".repeat(5000);
        InvalidationPath p = root.urls(longName).get(0);
        assertTrue(p.wildcard());
        assertEquals(4000, p.path().length());
        assertEquals(("/" + longName).substring(0, 3999) + "*", p.path());
    }

    @Test
    public void longPathsAreNotCutInsideAnEscape() {
        // "/" + 3997 x's + "ü" puts the escape %C3%BC at indices 3998..4003: cutting at 3999 would split %C3.
        for (int xs = 3994; xs <= 3999; xs++) {
            String name = "x".repeat(xs) + "üüü";
            InvalidationPath p = root.urls(name).get(0);
            assertTrue(p.wildcard());
            assertTrue(p.path().length() <= 4000);
            String kept = p.path().substring(0, p.path().length() - 1);
            assertTrue(("/" + UrlMapper.encode(name)).startsWith(kept));
            assertFalse("cut inside an escape after " + xs + " x", kept.matches(".*%[0-9A-F]?$"));
            assertTrue(kept.length() >= 3997);
        }
    }

    @Test
    public void pathsAreDistinctAndDeterministic() {
        UrlMapper m = new UrlMapper("/", List.of("index.html"), true);
        assertEquals(m.urls("a~/index.html"), m.urls("a~/index.html"));
        assertEquals(List.of("/a*"), paths(m.urls("a~/index.html")));
    }

    @Test
    public void invalidationPathMarksWildcards() {
        assertTrue(InvalidationPath.of("/a/*").wildcard());
        assertFalse(InvalidationPath.of("/a/b*c").wildcard());
        assertThrows(IllegalArgumentException.class, () -> new InvalidationPath("/a*", false));
        assertThrows(IllegalArgumentException.class, () -> InvalidationPath.of("a"));
    }
}
