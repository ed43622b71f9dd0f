package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import java.io.Serializable;
import java.util.Objects;

/**
 * One CloudFront invalidation path, already percent-encoded as CloudFront expects it.
 *
 * @param path starts with '/', at most {@value #MAX_LENGTH} characters
 * @param wildcard whether the last character is '*': CloudFront then treats the path as a prefix and counts it against
 *     its limit of 15 wildcard paths in progress, whatever else the path holds
 */
public record InvalidationPath(String path, boolean wildcard) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** CloudFront's longest invalidation path. */
    public static final int MAX_LENGTH = 4000;

    public InvalidationPath {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("not an invalidation path (leading '/', at most " + MAX_LENGTH
                    + " characters): " + path);
        }
        if (wildcard != path.endsWith("*")) {
            // A trailing '*' is a wildcard for CloudFront whatever we call it: a mismatch would miscount the limit.
            throw new IllegalArgumentException("wildcard must be " + !wildcard + " for " + path);
        }
    }

    /** The path of an encoded URL, a wildcard when it ends with '*'. */
    public static InvalidationPath of(String encoded) {
        return new InvalidationPath(encoded, encoded.endsWith("*"));
    }

    /** For a wildcard, the prefix it clears (the path without its '*'); otherwise the path itself. */
    String prefix() {
        return wildcard ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public String toString() {
        return path;
    }
}
