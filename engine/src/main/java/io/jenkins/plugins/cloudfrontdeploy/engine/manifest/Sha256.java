package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over a stream, reading in fixed chunks so that no file is ever held in memory whole. */
public final class Sha256 {
    private static final int CHUNK = 64 * 1024;

    private final MessageDigest digest;
    private final byte[] buffer = new byte[CHUNK];

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

    /** The hash of a symbolic link: that of its target text. */
    public static byte[] ofLinkTarget(String target) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
