package io.jenkins.plugins.cloudfrontdeploy.engine.server;

/**
 * A condition a change on the server is made under, checked by the server in the same shell script as the change:
 * the deploy lock's token, so that a deploy whose lock was broken cannot switch, delete or journal anything.
 */
public interface Fence {
    /** No condition: for callers that hold no lock. */
    Fence NONE = new Fence() {
        @Override
        public String guard() {
            return "";
        }

        @Override
        public void check(Server.Result result) {}
    };

    /** A POSIX {@code sh} prefix (empty, or ending in {@code ;}) that exits with a status of its own to refuse. */
    String guard();

    /** Throws when {@code result} is a script's refusal by {@link #guard()}; otherwise does nothing. */
    void check(Server.Result result);
}
