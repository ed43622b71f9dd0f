package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;

/** How the changed URLs become invalidation paths. */
public enum PlanMode {
    /** One path per changed URL (plus the wildcards CloudFront forces for '~' and trailing '*'). */
    FILES,
    /** Per-file paths, replaced by directory wildcards where that bills fewer paths within the collateral budget. */
    AUTO,
    /** The whole site under the URL prefix in one wildcard. */
    ALL;

    /** Reads {@code files}, {@code auto} or {@code all}, in any case. */
    public static PlanMode parse(String value) {
        if (value != null) {
            for (PlanMode mode : values()) {
                if (mode.name().equalsIgnoreCase(value.trim())) {
                    return mode;
                }
            }
        }
        throw new DeployException("invalidation mode " + UrlMapper.shown(value)
                + " is not one of files, auto, all: use files (one path per URL), auto (wildcards where they bill "
                + "less) or all (the whole site)");
    }
}
