package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * The embedded server's SFTP writes on a disk with {@link #free} bytes left: past them, each write goes to
 * {@code /dev/full}, so the kernel itself fails it with ENOSPC ("No space left on device") and the server answers
 * as it would on a full disk. Chosen over a small tmpfs (needs root and a mount) and {@code ulimit -f} (EFBIG, not
 * ENOSPC): it works for any user on any Linux, and the error is the kernel's, not a string the test made up.
 * Setting {@link #free} again is freeing space.
 */
public final class FullDisk implements SftpFileSystemAccessor {
    private static final Path DEV_FULL = Path.of("/dev/full");

    /**
     * Failures said with the system's own error text, as ProFTPD's mod_sftp says them ("No space left on device");
     * MINA's default, like OpenSSH's sftp-server, says only "General failure".
     */
    public static final SftpErrorStatusDataHandler ERROR_TEXT = new SftpErrorStatusDataHandler() {
        @Override
        public String resolveErrorMessage(SftpSubsystemEnvironment sftp, int id, Throwable e, int subStatus,
                int cmd, Object... args) {
            return e.getMessage() != null ? e.getMessage()
                    : SftpErrorStatusDataHandler.super.resolveErrorMessage(sftp, id, e, subStatus, cmd, args);
        }
    };

    /** Bytes that can still be written; negative: no limit. */
    public final AtomicLong free = new AtomicLong(-1);

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
            String handle, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        SeekableByteChannel real = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle,
                options, attrs);
        if (!options.contains(StandardOpenOption.WRITE) || !(real instanceof FileChannel channel)) {
            return real;
        }
        return new Budgeted(channel, free);
    }

    /** A file channel whose writes beyond the budget fail as the kernel fails them on a full disk. */
    private static final class Budgeted extends ForwardingFileChannel {
        private final AtomicLong free;

        Budgeted(FileChannel delegate, AtomicLong free) {
            super(delegate);
            this.free = free;
        }

        private void reserve(long bytes) throws IOException {
            while (true) {
                long left = free.get();
                if (left < 0) {
                    return;
                }
                if (left < bytes) {
                    free.set(0);
                    try (FileChannel full = FileChannel.open(DEV_FULL, StandardOpenOption.WRITE)) {
                        full.write(ByteBuffer.allocate(1)); // throws IOException("No space left on device")
                    }
                    throw new IOException("/dev/full accepted a write"); // never reached on Linux
                }
                if (free.compareAndSet(left, left - bytes)) {
                    return;
                }
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            reserve(src.remaining());
            return super.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            reserve(src.remaining());
            return super.write(src, position);
        }
    }

    /** A FileChannel that does what its delegate does. */
    private static class ForwardingFileChannel extends FileChannel {
        private final FileChannel delegate;

        ForwardingFileChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]); // through the budget
            }
            return n;
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target)
                throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count)
                throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
            long done = 0;
            while (done < count) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
                int n = src.read(buffer);
                if (n <= 0) {
                    break;
                }
                buffer.flip();
                done += write(buffer, position + done); // through the budget
            }
            return done;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("not mapped in tests");
        }

        @Override
        public java.nio.channels.FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
