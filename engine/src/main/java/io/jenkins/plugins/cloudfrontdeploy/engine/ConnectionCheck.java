package io.jenkins.plugins.cloudfrontdeploy.engine;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Servers;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;

/**
 * "Test connection": connects as a deploy would (host key verified, shell and SFTP available) and says what the
 * target link points at, without listing or changing anything.
 */
public final class ConnectionCheck {
    private ConnectionCheck() {}

    /** @return one line such as {@code web1:22: production -> 1.0.4}; a failure is a {@link DeployException} */
    public static String check(SshTarget target, SshSettings ssh) throws IOException {
        try (Server server = Servers.open(target, ssh, ProgressListener.NONE)) {
            String t = quote(target.path());
            Server.Result r = server.run("if [ -L " + t + " ]; then printf 'points at %s' \"$(readlink -- " + t
                    + ")\"; elif [ -d " + t + " ]; then printf 'is a folder, not a link'; elif [ -e " + t
                    + " ]; then printf 'is not a link or folder'; else printf 'does not exist yet (first deploy)'; fi",
                    new byte[0]);
            if (!r.ok()) {
                throw new DeployException("connected to " + where(target) + ", but the check command failed (exit "
                        + r.exitStatus() + "): " + r.stderr());
            }
            return where(target) + ": " + target.path() + " " + r.out();
        }
    }

    private static String where(SshTarget target) {
        return target.isLocal() ? "this machine" : target.hostAndPort();
    }
}
