package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;

/**
 * This deploy's lock on a server was broken (or taken over) while it ran: it stopped without changing anything more
 * there, as the server refused the change that found the lock no longer this deploy's.
 */
public final class LockLostException extends DeployException {
    private static final long serialVersionUID = 1L;

    public LockLostException(String message) {
        super(message);
    }

    public LockLostException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A re-run would put this release over the other deploy's: someone must decide first. */
    @Override
    public boolean resumable() {
        return false;
    }
}
