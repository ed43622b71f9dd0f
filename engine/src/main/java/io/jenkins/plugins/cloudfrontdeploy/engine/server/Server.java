package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ConnectionLostException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A web server as a deploy writes to it. Every change but file transfer and the link switch is a short POSIX shell
 * script, the same text over SSH and on this machine, so both transports behave alike; file names travel
 * NUL-separated on the script's input, never on its command line.
 */
public interface Server extends AutoCloseable {
    SshTarget target();

    /** {@code exec} (SSH) or {@code local}. */
    String transport();

    /** Lists and hashes releases on this server. */
    ReleaseReader reader();

    /**
     * Runs a POSIX {@code sh} script.
     *
     * @param script every value in it quoted with {@code ShellQuote}
     * @param stdin what the script reads (NUL-separated names, a JSON document), or empty
     */
    Result run(String script, byte[] stdin) throws IOException;

    /**
     * Copies files of the build into a release folder: each is written under a temporary name in its folder and
     * renamed into place, so a name never holds half a file. The final names must not exist.
     *
     * @return bytes of file content sent
     */
    long upload(Path sourceRoot, String releasePath, List<ManifestEntry> files, ProgressListener listener)
            throws IOException;

    /**
     * Points {@code linkPath} at {@code linkText} in one atomic rename: readers see the old target or the new one. No
     * fence: for callers that hold no deploy lock.
     */
    void replaceLink(String linkPath, String linkText) throws IOException;

    /**
     * Points {@code linkPath} at {@code linkText} by one shell script, {@code ln -s} then {@code mv -T} (rename(2),
     * atomic as above), that first checks {@code fence} on the server, over either transport.
     */
    default void replaceLink(String linkPath, String linkText, Fence fence) throws IOException {
        Result r = run(fence.guard() + ShellScripts.replaceLink(linkPath, linkText,
                UUID.randomUUID().toString().substring(0, 8)), new byte[0]);
        fence.check(r);
        if (!r.ok()) {
            throw new DeployException("switching " + linkPath + (target().isLocal() ? "" : " on "
                    + target().hostAndPort()) + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr() + "; production was not changed");
        }
    }

    @Override
    void close();

    /**
     * The loss of the connection to this server, when it died under the run (no answer, reset), as one line;
     * {@code null} while it lives, or for a server reached without a connection.
     *
     * @param cause what noticed the loss, kept as its cause
     */
    default ConnectionLostException lost(Throwable cause) {
        return null;
    }

    /** A finished script: exit status, standard output and error text. */
    record Result(int exitStatus, byte[] stdout, String stderr) {
        public boolean ok() {
            return exitStatus == 0;
        }

        public String out() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
