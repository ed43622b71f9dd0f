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

    /** The stored hash of one listed entry. */
    private static byte[] hashOf(StoredManifest stored, ManifestEntry listed) {
        return stored.hashesOf(new ManifestEntry[] {listed})[0];
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
        byte[][] inOnePass = second.hashesOf(new ManifestEntry[] {
            file("a.html", 1, 10, null), file("b.html", 1, 20, null), file("c.html", 1, 10, null)});
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
}
