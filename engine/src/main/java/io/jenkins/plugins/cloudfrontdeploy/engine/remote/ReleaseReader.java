package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Reads the live release behind the target link: the List stage. One implementation per way of reaching the
 * server: a shell over SSH (the fast path), SFTP alone (servers that allow no commands), or the local file system.
 */
public interface ReleaseReader extends AutoCloseable {
    /** Resolves the target link and lists the release behind it, sizes included, in one round trip where possible. */
    RemoteListing list(ProgressListener listener) throws IOException;

    /**
     * Lists a folder that must exist (a staged or earlier release), with no link to resolve. The listing's release
     * is that folder, so {@link #hash} works on it as on the live release.
     */
    RemoteListing listFolder(String absolutePath, ProgressListener listener) throws IOException;

    /**
     * Hashes the given files of the listed release.
     *
     * @param paths relative paths of regular files from {@link #list}
     * @return their SHA-256s, in the order of {@code paths}
     */
    List<byte[]> hash(RemoteListing listing, List<String> paths, ProgressListener listener) throws IOException;

    /**
     * Reads one of the tool's own small files on the server (a stored manifest).
     *
     * @return its content, or {@code null} when there is no such file
     */
    byte[] readFile(String absolutePath) throws IOException;

    /**
     * Streams one of the tool's own files on the server into {@code sink} as it arrives, for a file too large to
     * hold whole (a stored manifest of a big site).
     *
     * @return whether there was such a file
     */
    default boolean readFile(String absolutePath, OutputStream sink) throws IOException {
        byte[] content = readFile(absolutePath);
        if (content == null) {
            return false;
        }
        sink.write(content);
        return true;
    }

    /** How this reader reaches the server, for reports: {@code exec}, {@code sftp} or {@code local}. */
    String transport();

    @Override
    void close();
}
