package io.jenkins.plugins.cloudfrontdeploy.engine;

/**
 * A failure the user can act on: the message names the value at fault and says how to fix it. Front ends print
 * the message alone (no stack trace) and exit non-zero.
 */
public class DeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether running the same command again finishes what this failure left: true but for failures a re-run
     * cannot mend by itself (another deploy took the lock over, say).
     */
    public boolean resumable() {
        return true;
    }
}
