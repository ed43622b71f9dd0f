package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses a private key file that others may read, as OpenSSH does ("UNPROTECTED PRIVATE KEY FILE"): a key anyone on
 * the machine can copy is no longer a secret. Like OpenSSH, only a file the current user owns is checked, and a file
 * system without POSIX permissions (Windows) is not. Keys handed over as text (Jenkins credentials) have no file.
 */
final class KeyFilePermissions {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./+=:@%-]+");

    private KeyFilePermissions() {}

    static void check(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        PosixFileAttributes attributes;
        try {
            attributes = view.readAttributes();
        } catch (IOException e) {
            return; // it was just read; a file system that cannot say its modes has none to check
        }
        if (!attributes.owner().getName().equals(System.getProperty("user.name"))) {
            return;
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHERS);
        open.retainAll(attributes.permissions());
        if (!open.isEmpty()) {
            throw new DeployException("UNPROTECTED PRIVATE KEY FILE: " + file + " may be read by group or others"
                    + " (permissions " + octal(attributes.permissions()) + "), so OpenSSH would ignore it and this tool"
                    + " refuses it; run chmod 600 " + shellWord(file.toString()));
        }
    }

    private static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is 0400, ..., OTHERS_EXECUTE 0001
        }
        return String.format("%04o", mode);
    }

    private static String shellWord(String path) {
        return PLAIN_WORD.matcher(path).matches() ? path : ShellQuote.quote(path);
    }
}
