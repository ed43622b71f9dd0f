package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class ManifestTest {
    private static byte[] hash(int seed) {
        byte[] h = new byte[32];
        new Random(seed).nextBytes(h);
        return h;
    }

    /** Names that sort differently by UTF-8 bytes and by UTF-16 units, and around the '/' separator. */
    private static final List<String> AWKWARD = List.of("a", "a-b", "a/b", "a.js", "a/c/d", "ab", "A", "é.html",
            "\uE000.txt", "\uFFFD", "\uD83D\uDE00.png", "\uD83D\uDE00/x", "z", "\u00FF", "\u0100", "zz/\uFF21",
            "zz/\uD800\uDC00");

    @Test
    public void sortsInStringOrderWhateverTheOrderAdded() {
        List<String> shuffled = new ArrayList<>(AWKWARD);
        for (int seed = 0; seed < 20; seed++) {
            Collections.shuffle(shuffled, new Random(seed));
            Manifest.Builder b = new Manifest.Builder(0);
            for (String p : shuffled) {
                b.add(p, EntryType.FILE, p.length(), 1000 + p.length(), null);
            }
            Manifest m = b.build();
            List<String> expected = new ArrayList<>(AWKWARD);
            Collections.sort(expected);
            List<String> actual = new ArrayList<>();
            for (int i = 0; i < m.size(); i++) {
                actual.add(m.path(i));
                assertEquals(m.path(i).length(), m.fileSize(i));
                assertEquals(1000 + m.path(i).length(), m.mtime(i));
            }
            assertEquals(expected, actual);
        }
    }

    @Test
    public void comparesPathsAsStringsDo() {
        for (String a : AWKWARD) {
            for (String b : AWKWARD) {
                byte[] x = a.getBytes(StandardCharsets.UTF_8);
                byte[] y = b.getBytes(StandardCharsets.UTF_8);
                assertEquals(a + " vs " + b, Integer.signum(a.compareTo(b)),
                        Integer.signum(Utf8Order.compare(x, 0, x.length, y, 0, y.length)));
            }
        }
    }

    @Test
    public void findsByPathAndRefusesAPathListedTwice() {
        Manifest m = Manifest.of(List.of(new ManifestEntry("b/c", EntryType.FILE, 3, hash(1), 7),
                ManifestEntry.directory("b"), new ManifestEntry("a", EntryType.SYMLINK, 1, hash(2))));
        assertEquals(List.of("a", "b", "b/c"), m.entries().stream().map(ManifestEntry::path).toList());
        assertEquals(new ManifestEntry("b/c", EntryType.FILE, 3, hash(1), 7), m.find("b/c").orElseThrow());
        assertEquals(7, m.find("b/c").orElseThrow().mtime());
        assertTrue(m.find("b/").isEmpty());
        assertEquals(-3, m.indexOf("b/a"));
        assertEquals(2, m.contentCount());
        assertEquals(3, m.totalBytes());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new Manifest.Builder(2).add("x/y", EntryType.FILE, 1, 1, null)
                        .add("x/y", EntryType.DIRECTORY, 0, ManifestEntry.NO_MTIME, null).build());
        assertEquals("path listed twice: x/y", twice.getMessage());
    }

    @Test
    public void hashesAreAddedInAColumnThatLeavesTheListingAsItWas() {
        Manifest listed = new Manifest.Builder(3).add("b", EntryType.FILE, 5, 9, null)
                .add("a", EntryType.SYMLINK, 1, ManifestEntry.NO_MTIME, hash(7))
                .add("c", EntryType.FILE, 6, 9, null).build();
        Manifest.HashColumn column = listed.hashColumn();
        assertTrue("a link keeps the hash it was listed with", column.has(0));
        column.set(1, hash(1));
        byte[] hex = java.util.HexFormat.of().formatHex(hash(2)).getBytes(StandardCharsets.ISO_8859_1);
        column.setHex(2, hex, 0);
        Manifest hashed = listed.withHashes(column);
        assertArrayEquals(hash(7), hashed.hash(0));
        assertArrayEquals(hash(1), hashed.hash(1));
        assertArrayEquals(hash(2), hashed.hash(2));
        assertNull("the listing is not changed", listed.hash(1));
        assertFalse(listed.hasHash(2));
        assertTrue(hashed.sameContent(1, hashed, 1));
        assertFalse(hashed.sameContent(1, hashed, 2));
        assertThrows(IllegalStateException.class, () -> hashed.sameContent(1, listed, 1));

        Manifest withoutB = hashed.filter(i -> !hashed.path(i).equals("b"));
        assertEquals(List.of(hashed.get(0), hashed.get(2)), withoutB.entries());
        assertEquals(9, withoutB.mtime(1));
    }

    @Test
    public void aLargeShuffledListingSortsAndPairsWithItsCopy() {
        Random random = new Random(42);
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            entries.add(new ManifestEntry("d" + random.nextInt(50) + "/f" + i + (i % 7 == 0 ? "\uD83D\uDE00" : "")
                    + (i % 11 == 0 ? "\uE000" : ""), EntryType.FILE, i, hash(i), i));
        }
        Manifest m = Manifest.of(entries);
        List<ManifestEntry> sorted = new ArrayList<>(entries);
        Collections.sort(sorted);
        assertEquals(sorted, m.entries());
        Manifest copy = Manifest.of(m.entries());
        for (int i = 0; i < m.size(); i++) {
            assertEquals(0, m.comparePath(i, copy, i));
            assertTrue(m.sameContent(i, copy, i));
        }
    }

    @Test
    public void sizesAndTimesBeyondAnIntAreKeptExactly() {
        long big = 3L << 30; // a 3 GiB file
        long future = 4_102_444_800L; // 2100-01-01, past 2038
        Manifest m = new Manifest.Builder(4).add("big.iso", EntryType.FILE, big, future, null)
                .add("old.html", EntryType.FILE, 1, -86_400, null)
                .add("dir", EntryType.DIRECTORY, 0, ManifestEntry.NO_MTIME, null)
                .add("edge", EntryType.FILE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1L, null).build();
        assertEquals(big, m.fileSize(m.indexOf("big.iso")));
        assertEquals(future, m.mtime(m.indexOf("big.iso")));
        assertEquals(-86_400, m.mtime(m.indexOf("old.html")));
        assertEquals(ManifestEntry.NO_MTIME, m.mtime(m.indexOf("dir")));
        assertEquals(Integer.MAX_VALUE, m.fileSize(m.indexOf("edge")));
        assertEquals(Integer.MIN_VALUE + 1L, m.mtime(m.indexOf("edge")));
        assertEquals(big + 1 + Integer.MAX_VALUE, m.totalBytes());
    }
}
