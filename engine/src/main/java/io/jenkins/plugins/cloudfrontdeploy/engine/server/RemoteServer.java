package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ShellReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ConnectionLostException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshConnection;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;

/**
 * A web server over SSH: scripts on exec channels, files over SFTP on several channels of the one connection. A
 * deploy switches the link by a fenced shell script ({@code ln -s} + {@code mv -T}); the unfenced switch uses SFTP
 * {@code posix-rename@openssh.com} (a plain SFTP rename refuses to replace) or, where not offered, the same script.
 */
public final class RemoteServer implements Server {
    /** Channels of one connection that upload at once: enough to hide round trips, few enough for MaxSessions. */
    static final int UPLOAD_CHANNELS = 4;
    private static final int BUFFER = 64 * 1024;

    private final SshConnection connection;
    private final ShellReleaseReader reader;

    public RemoteServer(SshConnection connection) {
        this.connection = connection;
        this.reader = new ShellReleaseReader(connection);
    }

    @Override
    public SshTarget target() {
        return connection.target();
    }

    @Override
    public String transport() {
        return reader.transport();
    }

    @Override
    public ReleaseReader reader() {
        return reader;
    }

    @Override
    public Result run(String script, byte[] stdin) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SshConnection.ExecResult r = connection.exec(script, new ByteArrayInputStream(stdin), out,
                connection.settings().commandTimeout());
        return new Result(r.exitStatus(), out.toByteArray(), r.stderr());
    }

    @Override
    public long upload(Path sourceRoot, String releasePath, List<ManifestEntry> files, ProgressListener listener)
            throws IOException {
        return UploadQueue.send(sourceRoot, releasePath, files, UPLOAD_CHANNELS, () -> {
            SftpClient sftp = connection.sftp();
            return new UploadQueue.Sender() {
                @Override
                public void send(Path local, String remote, String temporary, UploadQueue queue) throws IOException {
                    RemoteServer.this.send(sftp, local, remote, temporary, queue);
                }

                @Override
                public void close() throws IOException {
                    sftp.close();
                }
            };
        }, listener);
    }

    private void send(SftpClient sftp, Path local, String remote, String temporary, UploadQueue queue)
            throws IOException {
        try {
            try (InputStream in = Files.newInputStream(local);
                    OutputStream out = sftp.write(temporary, BUFFER,
                            EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                                    SftpClient.OpenMode.Truncate))) {
                byte[] buffer = new byte[BUFFER];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    queue.sent(n);
                }
            }
            SftpClient.Attributes mode = new SftpClient.Attributes();
            mode.setPermissions(FileModes.of(local));
            sftp.setStat(temporary, mode);
            sftp.rename(temporary, remote);
        } catch (IOException e) {
            ConnectionLostException lost = connection.lost(e);
            if (lost != null) {
                throw lost; // not a full disk: the link or the server went away
            }
            throw new DeployException("uploading " + RelativePaths.quoteForMessage(remote) + " to "
                    + target().hostAndPort() + " failed: " + e.getMessage()
                    + "; check free space and the user's write access to the releases folder", e);
        }
    }

    @Override
    public void replaceLink(String linkPath, String linkText) throws IOException {
        String temporary = linkPath + ".cfd-switch-" + UUID.randomUUID().toString().substring(0, 8);
        try (SftpClient sftp = connection.sftp()) {
            OpenSSHPosixRenameExtension rename = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            if (rename.isSupported()) {
                sftp.symLink(temporary, linkText);
                try {
                    rename.posixRename(temporary, linkPath);
                } catch (IOException e) {
                    sftp.remove(temporary);
                    throw new DeployException("switching " + linkPath + " on " + target().hostAndPort()
                            + " failed: " + e.getMessage() + "; production was not changed", e);
                }
                return;
            }
        }
        replaceLink(linkPath, linkText, Fence.NONE); // the shell's mv -T
    }

    @Override
    public ConnectionLostException lost(Throwable cause) {
        return connection.lost(cause);
    }

    @Override
    public void close() {
        connection.close();
    }
}
