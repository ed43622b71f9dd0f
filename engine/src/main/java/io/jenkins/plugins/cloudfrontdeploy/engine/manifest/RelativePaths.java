package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Rules for the relative paths a manifest holds, and for names that arrive as raw bytes from a server. */
public final class RelativePaths {
    private RelativePaths() {}

    /**
     * Decodes a name from raw bytes, strictly as UTF-8: a name that is not valid UTF-8 cannot be turned into a URL
     * CloudFront would match, so it is an error rather than a silent replacement character.
     */
    public static String decodeUtf8(byte[] raw, String where) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DeployException("the file name " + printable(raw) + " in " + where
                    + " is not valid UTF-8; rename it (for example with convmv) so it can be served as a URL");
        }
    }

    /**
     * Checks a server-supplied relative path before anything uses it: no absolute path, no empty, "." or ".."
     * segment, no NUL. A hostile or broken server must not be able to point us outside the tree.
     */
    public static String requireSafe(String path, String where) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new DeployException("unsafe path " + quoteForMessage(path) + " from " + where);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new DeployException("unsafe path " + quoteForMessage(path) + " from " + where);
            }
        }
        return path;
    }

    /**
     * As {@link #requireSafe} of {@link #decodeUtf8}, without making a string of a name that is all ASCII (nearly
     * every name on a web server): a listing of a million names checks them all.
     */
    public static void requireSafeUtf8(byte[] raw, String where) {
        for (byte b : raw) {
            if (b < 0) {
                requireSafe(decodeUtf8(raw, where), where);
                return;
            }
        }
        int segment = 0;
        boolean safe = raw.length > 0;
        for (int i = 0; safe && i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '/') {
                int length = i - segment;
                safe = length > 0 && !(raw[segment] == '.' && (length == 1 || length == 2 && raw[segment + 1] == '.'));
                segment = i + 1;
            } else {
                safe = raw[i] != 0;
            }
        }
        if (!safe) {
            throw new DeployException("unsafe path " + quoteForMessage(new String(raw, StandardCharsets.US_ASCII))
                    + " from " + where);
        }
    }

    /** A path as it should appear inside an error message: control characters made visible. */
    public static String quoteForMessage(String path) {
        StringBuilder sb = new StringBuilder("'");
        path.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                sb.append(String.format("\\x%02x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('\'').toString();
    }

    private static String printable(byte[] raw) {
        StringBuilder sb = new StringBuilder("'");
        for (byte b : raw) {
            int v = b & 0xff;
            if (v >= 0x20 && v < 0x7f) {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.append('\'').toString();
    }
}
