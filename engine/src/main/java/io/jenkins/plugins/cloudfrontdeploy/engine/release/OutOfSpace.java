package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Says a staging failure for what it is when the server ran out of space: which server, which release folder holds
 * the partial copy, and the two ways on (a re-run resumes it once space is freed; {@code releases --prune-partial}
 * removes it). Out of space is read from the failure itself (the kernel's "No space left on device" in a command's
 * error, a local write's, or an SFTP server's message; the SFTP status for a full disk or quota), or, where an SFTP
 * server answers any failure with a bare "Failure" (OpenSSH's sftp-server maps ENOSPC so), from the free space
 * {@code df} reports afterwards: less than this stage still had to write.
 */
final class OutOfSpace {
    private static final List<String> SIGNS = List.of("no space left on device", "disk quota exceeded", "enospc",
            "edquot", "no space on filesystem", "quota exceeded");

    private OutOfSpace() {}

    /**
     * The failure said as out of space, or {@code null} when it is something else.
     *
     * @param needed bytes the stage had to write on this server (a bound for "too little free")
     */
    static DeployException explain(Server server, SiteLayout layout, String release, Throwable failure,
            long needed, Vocabulary words) {
        String reason = said(failure);
        if (reason == null && genericSftpFailure(failure)) {
            long free = freeBytes(server, layout.releasesDir());
            if (free >= 0 && free < Math.max(needed, 1)) {
                reason = free + " bytes free";
            }
        }
        if (reason == null) {
            return null;
        }
        String partial = layout.releasePath(release);
        if (!folderMayExist(server, layout, partial)) { // the journal's first write, before the seed, found it full
            return new DeployException(layout.host() + " is out of space (" + reason + ") in " + layout.stateDir()
                    + ": staging release " + release + " stopped before its folder was made; once space is freed, a"
                    + " re-run deploys it", failure);
        }
        return new DeployException(layout.host() + " is out of space (" + reason + ") in " + layout.releasesDir()
                + ": staging release " + release + " stopped, and its partial copy stays in " + partial + "; once"
                + " space is freed, a re-run resumes it, or remove it with "
                + words.prunePartial(layout.target().toString(), partial), failure);
    }

    private static boolean folderMayExist(Server server, SiteLayout layout, String path) {
        try {
            return ReleaseCatalog.isFolder(server, layout, path);
        } catch (java.io.IOException | RuntimeException e) {
            return true; // unknown: the folder is named, as a re-run or --prune-partial finds it if it is there
        }
    }

    /** The failure's own words for a full disk, or {@code null}. */
    static String said(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SftpException e && (e.getStatus() == SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM
                    || e.getStatus() == SftpConstants.SSH_FX_QUOTA_EXCEEDED)) {
                return e.getStatus() == SftpConstants.SSH_FX_QUOTA_EXCEEDED ? "Disk quota exceeded"
                        : "No space left on device";
            }
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            for (String sign : SIGNS) {
                if (text.contains(sign)) {
                    return sign.startsWith("e") || sign.contains("filesystem")
                            ? "No space left on device"
                            : Character.toUpperCase(sign.charAt(0)) + sign.substring(1);
                }
            }
        }
        return null;
    }

    private static boolean genericSftpFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SftpException e) {
                return e.getStatus() == SftpConstants.SSH_FX_FAILURE;
            }
        }
        return false;
    }

    /** Bytes free for the user on the file system of {@code folder}, or -1 when the server cannot say. */
    static long freeBytes(Server server, String folder) {
        try {
            Server.Result r = server.run("df -Pk -- " + quote(folder) + " | awk 'NR == 2 { print $4 }'",
                    new byte[0]);
            String kib = r.out().strip();
            return r.ok() && kib.matches("\\d{1,18}") ? Long.parseLong(kib) * 1024 : -1;
        } catch (java.io.IOException | RuntimeException e) {
            return -1; // the connection may be what failed: no claim then
        }
    }
}
