package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Splits a byte stream into records ended by a separator (NUL: the one byte no file name can hold) and hands each to
 * a consumer as it arrives, so a listing of 100,000 names is never held whole. The SSH layer writes from its own
 * thread, so a consumer's exception is kept and rethrown by {@link #finish()} rather than lost there.
 */
public final class NulRecords extends OutputStream {
    private final byte separator;
    private final Consumer<byte[]> consumer;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
    private RuntimeException failure;

    NulRecords(byte separator, Consumer<byte[]> consumer) {
        this.separator = separator;
        this.consumer = consumer;
    }

    public static NulRecords nul(Consumer<byte[]> consumer) {
        return new NulRecords((byte) 0, consumer);
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (failure != null) {
            return;
        }
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == separator) {
                current.write(b, start, i - start);
                emit();
                if (failure != null) {
                    return; // the first failure is the one that explains; later records would only mislead
                }
                start = i + 1;
            }
        }
        current.write(b, start, off + len - start);
    }

    private void emit() {
        byte[] record = current.toByteArray();
        current.reset();
        try {
            consumer.accept(record);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Rethrows a consumer failure; returns the bytes after the last separator (normally none). */
    public synchronized byte[] finish() {
        if (failure != null) {
            throw failure;
        }
        return current.toByteArray();
    }
}
