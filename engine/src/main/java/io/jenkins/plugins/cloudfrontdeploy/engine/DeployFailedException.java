package io.jenkins.plugins.cloudfrontdeploy.engine;

/**
 * A deploy that failed, with the result its reports hold: which stage failed, what production serves on each host,
 * and which invalidation batches are pending. Its message is the one line the user reads.
 */
public final class DeployFailedException extends DeployException {
    private static final long serialVersionUID = 1L;

    private final DeployResult result;

    public DeployFailedException(String message, DeployResult result, Throwable cause) {
        super(message, cause);
        this.result = result;
    }

    /** The failed run as far as it got; {@link DeployResult#outcome()} says where and why it stopped. */
    public DeployResult result() {
        return result;
    }

    @Override
    public boolean resumable() {
        return !(getCause() instanceof DeployException d) || d.resumable();
    }
}
