package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.ParallelHasher;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshConnection;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;

/** Chooses how to read a target's live release: local files, a shell over SSH, or SFTP when no shell is allowed. */
public final class ReleaseReaders {
    private ReleaseReaders() {}

    public static ReleaseReader open(SshTarget target, SshSettings settings, ProgressListener listener)
            throws IOException {
        if (target.isLocal()) {
            return new LocalReleaseReader(target, ParallelHasher.perCore());
        }
        SshConnection connection = SshConnection.open(target, settings, listener);
        try {
            if (ShellReleaseReader.canExec(connection)) {
                return new ShellReleaseReader(connection);
            }
            listener.warning(target.hostAndPort() + " runs no commands for this account (SFTP only): listing over"
                    + " SFTP and downloading files to hash them, which is much slower");
            return new SftpReleaseReader(connection);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
