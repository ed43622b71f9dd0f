package io.jenkins.plugins.cloudfrontdeploy.engine.diff;

import java.util.Locale;

/** How a path differs between the live release and the new build. */
public enum ChangeKind {
    ADDED('A'),
    MODIFIED('M'),
    REMOVED('D');

    private final char letter;

    ChangeKind(char letter) {
        this.letter = letter;
    }

    /** A, M or D, as {@code git diff --name-status} writes them. */
    public char letter() {
        return letter;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
