package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/** The stored manifest's format: what is trusted, what a later segment replaces, what is refused. */
public class StoredManifestTest {
    private static final byte[] A = Sha256.ofLinkTarget("a");
    private static final byte[] B = Sha256.ofLinkTarget("b");

    private static ManifestEntry file(String path, long size, long mtime, byte[] hash) {
        return new ManifestEntry(path, EntryType.FILE, size, hash, mtime);
    }

    /** The stored hash of each listed entry (listed without a hash), aligned with them, as a diff looks them up. */
    private static byte[][] hashesOf(StoredManifest stored, ManifestEntry... listed) {
        Manifest live = listing(listed);
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, live.size());
        Manifest.HashColumn column = live.hashColumn();
        stored.hashesInto(live, all, column);
        Manifest hashed = live.withHashes(column);
        byte[][] out = new byte[listed.length][];
        for (int i = 0; i < listed.length; i++) {
            out[i] = hashed.hash(hashed.indexOf(listed[i].path()));
        }
        return out;
    }

    /** The stored hash of one listed entry. */
    private static byte[] hashOf(StoredManifest stored, ManifestEntry listed) {
        return hashesOf(stored, listed)[0];
    }

    @Test
    public void aHashIsTrustedOnlyWhileSizeAndModificationTimeAreAsStored() throws Exception {
        String hostile = "new\nline $(id) 'q' \u00e9.html";
        StoredManifest stored = StoredManifest.parse(StoredManifest.encode(List.of(file(hostile, 5, 100, A))));
        assertArrayEquals(A, hashOf(stored, file(hostile, 5, 100, null)));
        assertNull("touched since", hashOf(stored, file(hostile, 5, 101, null)));
        assertNull("other size", hashOf(stored, file(hostile, 6, 100, null)));
        assertNull("no mtime listed", hashOf(stored, file(hostile, 5, ManifestEntry.NO_MTIME, null)));
        assertNull("not stored", hashOf(stored, file("other.html", 5, 100, null)));
        assertNull("a link of that name", hashOf(stored, new ManifestEntry(hostile, EntryType.SYMLINK, 5, B, 100)));
    }

    @Test
    public void aLaterSegmentReplacesEarlierRecords() throws Exception {
        List<ManifestEntry> r1 = List.of(file("a.html", 1, 10, A), file("b.html", 1, 10, A));
        StoredManifest first = StoredManifest.parse(StoredManifest.encode(r1));
        List<ManifestEntry> r2 = List.of(file("a.html", 1, 10, A), file("b.html", 1, 20, B));
        List<ManifestEntry> changed = first.missing(r2);
        assertEquals(List.of(r2.get(1)), changed);

        ByteArrayOutputStream appended = new ByteArrayOutputStream();
        appended.writeBytes(StoredManifest.encode(r1));
        appended.writeBytes(StoredManifest.encode(changed));
        StoredManifest second = StoredManifest.parse(appended.toByteArray());
        assertEquals(3, second.records());
        assertArrayEquals(B, hashOf(second, file("b.html", 1, 20, null)));
        assertNull(hashOf(second, file("b.html", 1, 10, null)));
        assertArrayEquals(A, hashOf(second, file("a.html", 1, 10, null)));
        assertTrue(second.missing(r2).isEmpty());
        byte[][] inOnePass = hashesOf(second,
                file("a.html", 1, 10, null), file("b.html", 1, 20, null), file("c.html", 1, 10, null));
        assertArrayEquals(A, inOnePass[0]);
        assertArrayEquals(B, inOnePass[1]);
        assertNull(inOnePass[2]);
    }

    @Test
    public void onlyHashedFilesWithAModificationTimeAreStored() throws Exception {
        byte[] bytes = StoredManifest.encode(List.of(ManifestEntry.directory("d"),
                new ManifestEntry("l", EntryType.SYMLINK, 1, A, 5), file("unhashed", 1, 5, null),
                file("untimed", 1, ManifestEntry.NO_MTIME, A), file("ok", 1, 5, A)));
        assertEquals(1, StoredManifest.parse(bytes).records());
    }

    @Test
    public void anythingElseIsRefusedWithWhereItWentWrong() {
        for (String bad : new String[] {"garbage\0", "F\0a\0001\0002\0", "cfdm1\0F\0a\0x\0002\0" + "0".repeat(64) + "\0",
            "cfdm1\0F\0a\0001\0002\0abc\0", "cfdm1\0F\0a\0001"}) {
            StoredManifest.Unreadable e = assertThrows(StoredManifest.Unreadable.class,
                    () -> StoredManifest.parse(bad.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage(), e.getMessage().matches(".*(byte|number|SHA-256).*"));
        }
    }

    /** A listing of the given files, none hashed, and a column for their hashes. */
    private static Manifest listing(ManifestEntry... files) {
        Manifest.Builder b = new Manifest.Builder(files.length);
        for (ManifestEntry f : files) {
            b.add(f.path(), f.type(), f.size(), f.mtime(), null);
        }
        return b.build();
    }

    @Test
    public void aStreamedLookupMatchesTheHeldOneWhateverTheChunksItArrivesIn() throws Exception {
        String hostile = "new\nline $(id) 'q' \u00e9.html";
        byte[] bytes = StoredManifest.encode(List.of(file(hostile, 5, 100, A), file("b.html", 7, 200, B),
                file("c.html", 9, 300, A), file("d.html", 1, 1, B)));
        Manifest live = listing(file(hostile, 5, 100, null), file("b.html", 7, 201, null), file("c.html", 9, 300, null),
                file("d.html", 1, 1, null));
        java.util.BitSet wanted = new java.util.BitSet();
        for (String p : List.of(hostile, "b.html", "c.html")) { // not d.html
            wanted.set(live.indexOf(p));
        }
        for (int chunk : new int[] {1, 7, 64, bytes.length}) {
            Manifest.HashColumn column = live.hashColumn();
            StoredManifest.Lookup lookup = new StoredManifest.Lookup(live, wanted, column);
            for (int at = 0; at < bytes.length; at += chunk) {
                lookup.write(bytes, at, Math.min(chunk, bytes.length - at));
            }
            assertEquals("in chunks of " + chunk, 2, lookup.finish());
            Manifest hashed = live.withHashes(column);
            assertArrayEquals(A, hashed.hash(live.indexOf(hostile)));
            assertNull("touched since it was stored", hashed.hash(live.indexOf("b.html")));
            assertArrayEquals(A, hashed.hash(live.indexOf("c.html")));
            assertNull("stored and current, but not asked for", hashed.hash(live.indexOf("d.html")));
            assertEquals(4, lookup.records());
        }
    }

    @Test
    public void aStreamCutShortTakesBackEveryHashItGave() throws Exception {
        byte[] bytes = StoredManifest.encode(List.of(file("a.html", 5, 100, A), file("b.html", 7, 200, B)));
        Manifest live = listing(file("a.html", 5, 100, null), file("b.html", 7, 200, null));
        java.util.BitSet wanted = new java.util.BitSet();
        wanted.set(0, 2);
        Manifest.HashColumn column = live.hashColumn();
        StoredManifest.Lookup lookup = new StoredManifest.Lookup(live, wanted, column);
        lookup.write(bytes, 0, bytes.length - 10); // the second record's hash cut off
        assertTrue("a.html was matched while it streamed", column.has(0));
        StoredManifest.Unreadable e = assertThrows(StoredManifest.Unreadable.class, lookup::finish);
        assertTrue(e.getMessage(), e.getMessage().startsWith("cut short at byte"));
        assertTrue("a hash from a manifest found unreadable is not kept", !column.has(0) && !column.has(1));
    }
}
