package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** The columnar manifest gives back exactly the entries it was built from, in String order. */
public class ManifestTest {
    @Test
    public void givesBackEveryEntryInPathOrderAcrossRestartsAndSharedPrefixes() throws Exception {
        Random random = new Random(7);
        List<ManifestEntry> entries = new ArrayList<>();
        String longFolder = "x".repeat(300); // a shared prefix and a rest longer than one varint byte
        for (int i = 0; i < 1000; i++) {
            String folder = i % 3 == 0 ? "d" + (i % 7) : i % 3 == 1 ? "d" + (i % 7) + "/é ü/" + longFolder : "日本";
            String path = folder + "/f" + i + (i % 5 == 0 ? " 'quote\"" : ".html");
            byte[] hash = new byte[32];
            random.nextBytes(hash);
            entries.add(new ManifestEntry(path, EntryType.FILE, random.nextInt(100_000), i % 11 == 0 ? null : hash,
                    i % 13 == 0 ? ManifestEntry.NO_MTIME : 1_700_000_000L + i));
        }
        entries.add(ManifestEntry.directory("d1"));
        entries.add(new ManifestEntry("link", EntryType.SYMLINK, 3, Sha256.ofLinkTarget("a/b")));
        entries.add(new ManifestEntry("\uD83D\uDE00 smile", EntryType.FILE, 0, new byte[32], 5));
        List<ManifestEntry> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, random);

        Manifest manifest = Manifest.of(shuffled);

        List<ManifestEntry> expected = new ArrayList<>(entries);
        Collections.sort(expected);
        assertEquals(expected.size(), manifest.size());
        for (int i = 0; i < expected.size(); i++) {
            ManifestEntry want = expected.get(i);
            ManifestEntry got = manifest.get(i);
            assertEquals(want, got);
            assertEquals(want.path(), manifest.path(i));
            assertEquals(want.mtime(), got.mtime());
            assertEquals(want.hasHash(), got.hasHash());
            assertArrayEquals(want.sha256(), got.sha256());
            assertEquals(got, manifest.find(want.path()).orElseThrow());
        }
        assertEquals(expected, manifest.entries());
        assertFalse(manifest.find("d1/none").isPresent());
        assertFalse(manifest.find("").isPresent());
        assertEquals(expected.stream().filter(e -> e.type() != EntryType.DIRECTORY).count(), manifest.contentCount());
        assertEquals(expected.stream().filter(e -> e.type() == EntryType.FILE).mapToLong(ManifestEntry::size).sum(),
                manifest.totalBytes());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(manifest);
        }
        Manifest copy = (Manifest) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(expected, copy.entries());
    }

    @Test
    public void takesFileHashesFromTheHashColumnAndLinkHashesFromTheirEntries() {
        ManifestEntry[] sorted = {
            new ManifestEntry("a", EntryType.FILE, 1, null, 10),
            ManifestEntry.directory("b"),
            new ManifestEntry("c", EntryType.SYMLINK, 1, Sha256.ofLinkTarget("a")),
        };
        Manifest.sort(sorted);
        byte[] hashes = new byte[3 * 32];
        hashes[5] = 42;

        Manifest manifest = Manifest.ofSorted(sorted, hashes);

        assertEquals(42, manifest.get(0).sha256()[5]);
        assertEquals(10, manifest.get(0).mtime());
        assertNull(manifest.get(1).sha256());
        assertArrayEquals(Sha256.ofLinkTarget("a"), manifest.get(2).sha256());
        assertTrue(Manifest.empty().entries().isEmpty());
    }

    @Test
    public void refusesAPathListedTwice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifest.of(List.of(
                ManifestEntry.directory("same"), new ManifestEntry("same", EntryType.FILE, 0, new byte[32]))));
        assertEquals("path listed twice: same", e.getMessage());
    }
}
