package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The hashes of a release's files as the tool stored them on the server after verifying the release, each with the
 * size and modification time the file had then. A listed file whose size and modification time still match is taken
 * to hold the same content, so its hash is not computed again (the quick check rsync makes); anything else is hashed.
 *
 * <p>Format: NUL-terminated fields, a {@value #MARKER} record opening each segment, then per file
 * {@code F path size mtime sha256-hex}. A later record of a path replaces an earlier one, so the manifest of a new
 * release can be written on the server as its predecessor's followed by only what changed. Records of paths the
 * release no longer holds are harmless: only listed files are looked up.
 */
public final class StoredManifest {
    static final String MARKER = "cfdm1";
    private static final HexFormat HEX = HexFormat.of();

    public static final StoredManifest NONE = new StoredManifest(Map.of(), 0, 0);

    private final Map<String, Stored> byPath;
    private final int records;
    private final long length;

    private StoredManifest(Map<String, Stored> byPath, int records, long length) {
        this.byPath = byPath;
        this.records = records;
        this.length = length;
    }

    private record Stored(long size, long mtime, byte[] sha256) {}

    /** Thrown for bytes that are not a stored manifest. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    public static StoredManifest parse(byte[] bytes) throws Unreadable {
        Map<String, Stored> byPath = new HashMap<>();
        int records = 0;
        int pos = 0;
        boolean sawMarker = false;
        while (pos < bytes.length) {
            int end = nul(bytes, pos);
            String tag = new String(bytes, pos, end - pos, StandardCharsets.ISO_8859_1);
            pos = end + 1;
            if (tag.equals(MARKER)) {
                sawMarker = true;
            } else if (tag.equals("F") && sawMarker) {
                String[] f = new String[4];
                for (int i = 0; i < 4; i++) {
                    end = nul(bytes, pos);
                    f[i] = new String(bytes, pos, end - pos, StandardCharsets.UTF_8);
                    pos = end + 1;
                }
                byPath.put(f[0], new Stored(number(f[1]), number(f[2]), sha256(f[3])));
                records++;
            } else {
                throw new Unreadable("unexpected record '" + tag.replaceAll("\\p{Cntrl}", "?") + "' at byte "
                        + (pos - tag.length() - 1));
            }
        }
        return new StoredManifest(byPath, records, bytes.length);
    }

    private static int nul(byte[] bytes, int from) throws Unreadable {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        throw new Unreadable("cut short at byte " + from);
    }

    private static long number(String text) throws Unreadable {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Unreadable("'" + text + "' is not a number");
        }
    }

    private static byte[] sha256(String hex) throws Unreadable {
        if (hex.length() != 64) {
            throw new Unreadable("'" + hex + "' is not a SHA-256");
        }
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("'" + hex + "' is not a SHA-256");
        }
    }

    /** One segment: the files among {@code entries} that have a hash and a modification time. */
    public static byte[] encode(Collection<ManifestEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 128);
        field(out, MARKER);
        for (ManifestEntry e : entries) {
            if (storable(e)) {
                field(out, "F");
                field(out, e.path());
                field(out, Long.toString(e.size()));
                field(out, Long.toString(e.mtime()));
                field(out, e.sha256Hex());
            }
        }
        return out.toByteArray();
    }

    private static boolean storable(ManifestEntry e) {
        return e.type() == EntryType.FILE && e.hasHash() && e.mtime() != ManifestEntry.NO_MTIME;
    }

    private static void field(ByteArrayOutputStream out, String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    /** The stored hash of a listed file, or {@code null} unless its size and modification time are as stored. */
    public byte[] hashOf(ManifestEntry listed) {
        Stored s = byPath.get(listed.path());
        boolean current = s != null && listed.type() == EntryType.FILE && listed.mtime() != ManifestEntry.NO_MTIME
                && s.size() == listed.size() && s.mtime() == listed.mtime();
        return current ? s.sha256().clone() : null;
    }

    /** The storable files of {@code release} that this manifest does not already record exactly as they are. */
    public List<ManifestEntry> missing(Collection<ManifestEntry> release) {
        List<ManifestEntry> out = new ArrayList<>();
        for (ManifestEntry e : release) {
            if (!storable(e)) {
                continue;
            }
            Stored s = byPath.get(e.path());
            if (s == null || s.size() != e.size() || s.mtime() != e.mtime() || !Arrays.equals(s.sha256(), e.sha256())) {
                out.add(e);
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return records == 0;
    }

    /** Records in the file, superseded ones included: how far an appended manifest has grown. */
    public int records() {
        return records;
    }

    /** Bytes of the file this was read from. */
    public long length() {
        return length;
    }
}
