package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/**
 * Modes of what a deploy creates: 0644 for files, 0755 where the build's file is executable, 0755 for folders. The
 * web server must read everything; nothing in a release needs to be writable by others.
 */
final class FileModes {
    static final int FILE = 0644;
    static final int EXECUTABLE = 0755;
    static final int FOLDER = 0755;

    private FileModes() {}

    static int of(Path local) throws IOException {
        try {
            return Files.getPosixFilePermissions(local).contains(PosixFilePermission.OWNER_EXECUTE) ? EXECUTABLE : FILE;
        } catch (UnsupportedOperationException e) {
            return FILE; // a file system without POSIX modes has no execute bit to carry over
        }
    }
}
