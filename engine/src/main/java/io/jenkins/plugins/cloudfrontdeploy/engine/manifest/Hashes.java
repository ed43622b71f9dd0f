package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.Serializable;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * SHA-256s by slot (the files and links of a listing, numbered in the order they were listed), 32 bytes each, with a
 * bit per slot saying whether it is known. Kept in chunks, so that it can grow while a build is walked and hashed at
 * once without copying what it holds; the slots of one chunk are written by several hashing threads (each its own
 * bytes, and its bit atomically).
 */
final class Hashes implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int HASH = 32;
    private static final int SHIFT = 11;
    /** Slots per chunk: 64 KiB of hashes. */
    private static final int PER_CHUNK = 1 << SHIFT;
    private static final int MASK = PER_CHUNK - 1;

    private volatile byte[][] chunks;
    private volatile AtomicLongArray[] known;

    /** Room for exactly {@code slots} slots. */
    Hashes(int slots) {
        int n = (slots + PER_CHUNK - 1) >>> SHIFT;
        chunks = new byte[n][];
        known = new AtomicLongArray[n];
        for (int c = 0; c < n; c++) {
            chunks[c] = new byte[HASH * Math.min(PER_CHUNK, Math.max(slots - c * PER_CHUNK, 0))];
            known[c] = new AtomicLongArray(PER_CHUNK / 64);
        }
    }

    /** Empty, to grow with {@link #ensure}. */
    static Hashes growing() {
        return new Hashes(0);
    }

    /**
     * Makes room for {@code slots} slots, in whole chunks. Called by the one thread that numbers the slots, before
     * any other thread is told of a new one (that hand-over publishes the room made here). A chunk other threads may
     * write is never replaced: only one made smaller by the constructor is, and that one only in single-threaded use.
     */
    synchronized void ensure(int slots) {
        int needed = (slots + PER_CHUNK - 1) >>> SHIFT;
        byte[][] c = chunks;
        AtomicLongArray[] k = known;
        if (needed > c.length) {
            c = Arrays.copyOf(c, Math.max(needed, c.length * 2));
            k = Arrays.copyOf(k, c.length);
        }
        for (int i = 0; i < needed; i++) {
            if (c[i] == null) {
                c[i] = new byte[HASH * PER_CHUNK];
                k[i] = new AtomicLongArray(PER_CHUNK / 64);
            } else if (c[i].length < HASH * PER_CHUNK && c[i].length < HASH * (slots - i * PER_CHUNK)) {
                c[i] = Arrays.copyOf(c[i], HASH * PER_CHUNK);
            }
        }
        known = k;
        chunks = c;
    }

    void set(int slot, byte[] sha256, int from) {
        System.arraycopy(sha256, from, chunks[slot >>> SHIFT], (slot & MASK) * HASH, HASH);
        mark(slot, true);
    }

    /** From 64 hex digits in {@code hex} at {@code from}. */
    void setHex(int slot, byte[] hex, int from) {
        byte[] chunk = chunks[slot >>> SHIFT];
        int at = (slot & MASK) * HASH;
        for (int b = 0; b < HASH; b++) {
            chunk[at + b] = (byte) (Character.digit(hex[from + 2 * b], 16) << 4
                    | Character.digit(hex[from + 2 * b + 1], 16));
        }
        mark(slot, true);
    }

    void clear(int slot) {
        mark(slot, false);
    }

    boolean has(int slot) {
        return (known[slot >>> SHIFT].get((slot & MASK) >>> 6) & 1L << slot) != 0;
    }

    byte[] get(int slot) {
        int at = (slot & MASK) * HASH;
        return Arrays.copyOfRange(chunks[slot >>> SHIFT], at, at + HASH);
    }

    boolean same(int slot, Hashes other, int otherSlot) {
        int a = (slot & MASK) * HASH;
        int b = (otherSlot & MASK) * HASH;
        return Arrays.equals(chunks[slot >>> SHIFT], a, a + HASH, other.chunks[otherSlot >>> SHIFT], b, b + HASH);
    }

    /** A copy to complete: the known hashes and their bits. */
    Hashes copy(int slots) {
        Hashes copy = new Hashes(slots);
        byte[][] c = chunks;
        AtomicLongArray[] k = known;
        for (int i = 0; i < copy.chunks.length && i < c.length && c[i] != null; i++) {
            System.arraycopy(c[i], 0, copy.chunks[i], 0, Math.min(c[i].length, copy.chunks[i].length));
            for (int w = 0; w < PER_CHUNK / 64; w++) {
                copy.known[i].set(w, k[i].get(w));
            }
        }
        return copy;
    }

    private void mark(int slot, boolean on) {
        long bit = 1L << slot;
        known[slot >>> SHIFT].getAndUpdate((slot & MASK) >>> 6, w -> on ? w | bit : w & ~bit);
    }
}
