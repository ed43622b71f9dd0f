package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

/**
 * Compares UTF-8 encoded paths in {@link String#compareTo} order (UTF-16 code units) without decoding them, so that
 * a manifest kept as UTF-8 bytes sorts and searches exactly as its paths' strings would.
 *
 * <p>UTF-8 byte order is code point order, which is UTF-16 order except between a supplementary character (four
 * bytes, lead byte F0–F4; a surrogate pair D800–DFFF in UTF-16) and one of U+E000–U+FFFF (three bytes, lead
 * byte EE or EF): UTF-16 puts the supplementary one first. Equal prefixes end on a character boundary in both, so the first
 * differing bytes are both lead bytes or both continuation bytes of the same lead; only the first case can need the
 * swap.
 */
public final class Utf8Order {
    private Utf8Order() {}

    public static int compare(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bTo) {
        int mismatch = java.util.Arrays.mismatch(a, aFrom, aTo, b, bFrom, bTo);
        if (mismatch < 0) {
            return 0;
        }
        if (mismatch == aTo - aFrom || mismatch == bTo - bFrom) {
            return (aTo - aFrom) - (bTo - bFrom); // one is a prefix of the other: the shorter first
        }
        int x = a[aFrom + mismatch] & 0xff;
        int y = b[bFrom + mismatch] & 0xff;
        if (x >= 0xF0 && (y == 0xEE || y == 0xEF)) {
            return -1;
        }
        if (y >= 0xF0 && (x == 0xEE || x == 0xEF)) {
            return 1;
        }
        return x - y;
    }
}
