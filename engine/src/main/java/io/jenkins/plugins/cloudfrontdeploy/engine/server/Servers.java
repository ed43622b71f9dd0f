package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ShellReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshConnection;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;

/** Opens the server behind a target for writing: this machine, or SSH with a shell. */
public final class Servers {
    private Servers() {}

    public static Server open(SshTarget target, SshSettings settings, ProgressListener listener) throws IOException {
        if (target.isLocal()) {
            return new LocalServer(target, settings.commandTimeout());
        }
        SshConnection connection = SshConnection.open(target, settings, listener);
        try {
            if (!ShellReleaseReader.canExec(connection)) {
                throw new DeployException("deploying to " + target.hostAndPort() + " needs to run commands there"
                        + " (mkdir, cp, mv, sha256sum), but the user " + target.user() + " may use SFTP only; give"
                        + " it a shell (diff works over SFTP alone, deploy does not)");
            }
            return new RemoteServer(connection);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
