package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;

/**
 * The SSH connection to a host died under a run: the server stopped answering (no keepalive reply), or the network
 * or the server reset or closed it. Its message is one line without the SSH library's internals, which stay in the
 * cause for {@code --verbose}.
 */
public final class ConnectionLostException extends DeployException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final String reason;

    ConnectionLostException(String host, String reason, Throwable cause) {
        super("connection to " + host + " lost (" + reason + ")", cause);
        this.host = host;
        this.reason = reason;
    }

    /** The host and port whose connection was lost. */
    public String host() {
        return host;
    }

    /** Why, in words: {@code no answer for 30 s}, {@code reset by the network or the server}. */
    public String reason() {
        return reason;
    }

    /** {@code connection to web1:22 lost during stage (no answer for 30 s)}. */
    public String during(String stage) {
        return "connection to " + host + " lost during " + stage + " (" + reason + ")";
    }
}
