package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import java.io.Serializable;

/**
 * What the target link resolves to on the server: the live release.
 *
 * @param state whether the target is a link (the normal case), a plain folder, or absent (first deploy)
 * @param linkText the link's own text (as {@code readlink} prints it), or {@code null} when not a link
 * @param releasePath the physical absolute path of the release folder, or {@code null} when absent
 */
public record LiveRelease(State state, String linkText, String releasePath) implements Serializable {
    /** How the target exists on the server. */
    public enum State {
        LINK,
        DIRECTORY,
        ABSENT
    }

    public static LiveRelease absent() {
        return new LiveRelease(State.ABSENT, null, null);
    }

    /** The release's folder name (the last segment of its path), or {@code null} when there is none. */
    public String releaseName() {
        if (releasePath == null) {
            return null;
        }
        return releasePath.substring(releasePath.lastIndexOf('/') + 1);
    }
}
