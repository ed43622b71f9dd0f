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

    @Test
    public void aHashIsTrustedOnlyWhileSizeAndModificationTimeAreAsStored() throws Exception {
        String hostile = "new\nline $(id) 'q' \u00e9.html";
        StoredManifest stored = StoredManifest.parse(StoredManifest.encode(List.of(file(hostile, 5, 100, A))));
        assertArrayEquals(A, stored.hashOf(file(hostile, 5, 100, null)));
        assertNull("touched since", stored.hashOf(file(hostile, 5, 101, null)));
        assertNull("other size", stored.hashOf(file(hostile, 6, 100, null)));
        assertNull("no mtime listed", stored.hashOf(file(hostile, 5, ManifestEntry.NO_MTIME, null)));
        assertNull("not stored", stored.hashOf(file("other.html", 5, 100, null)));
        assertNull("a link of that name", stored.hashOf(new ManifestEntry(hostile, EntryType.SYMLINK, 5, B, 100)));
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
        assertArrayEquals(B, second.hashOf(file("b.html", 1, 20, null)));
        assertNull(second.hashOf(file("b.html", 1, 10, null)));
        assertArrayEquals(A, second.hashOf(file("a.html", 1, 10, null)));
        assertTrue(second.missing(r2).isEmpty());
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
