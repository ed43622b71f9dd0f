package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over a stream, reading in fixed chunks so that no file is ever held in memory whole. */
public final class Sha256 {
    private static final int CHUNK = 64 * 1024;
    /** Large reads: a file of a site is read in one call, a large one in few. */
    private static final int DIRECT_CHUNK = 1024 * 1024;

    private final MessageDigest digest;
    private final byte[] buffer = new byte[CHUNK];
    private ByteBuffer direct;

    /** One instance per thread: it owns its buffer. */
    public Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Hashes the stream to its end, checking for interruption between chunks so an aborted build stops promptly.
     *
     * @param counter receives the byte count of every chunk, for progress
     */
    public byte[] hash(InputStream in, java.util.function.LongConsumer counter) throws IOException {
        digest.reset();
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted while hashing");
            }
            digest.update(buffer, 0, n);
            counter.accept(n);
        }
        return digest.digest();
    }

    /**
     * Hashes a file channel to its end into {@code into} at {@code offset}, through a direct buffer (the kernel copies
     * straight into it; a heap array would be copied once more by NIO), checking for interruption between chunks.
     *
     * @param counter receives the byte count of every chunk, for progress
     */
    public void hash(FileChannel in, byte[] into, int offset, java.util.function.LongConsumer counter)
            throws IOException {
        digest.reset();
        int n;
        if (direct == null) {
            direct = ByteBuffer.allocateDirect(DIRECT_CHUNK);
        }
        direct.clear();
        while ((n = in.read(direct)) > 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted while hashing");
            }
            direct.flip();
            digest.update(direct);
            direct.clear();
            counter.accept(n);
        }
        try {
            digest.digest(into, offset, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("a SHA-256 has 32 bytes", e);
        }
    }

    /** The hash of a symbolic link: that of its target text. */
    public static byte[] ofLinkTarget(String target) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
