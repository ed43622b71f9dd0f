package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one way of invalidating would cost.
 *
 * @param billedPaths paths requested, each billed once (a wildcard too)
 * @param wildcards how many of them end with '*'
 * @param collateralFiles URLs of unchanged files that a wildcard clears as well: each is a cache miss paid for nothing
 * @param cost in US dollars, after what is left of this month's free paths
 */
public record Estimate(long billedPaths, int wildcards, long collateralFiles, BigDecimal cost) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Estimate {
        Objects.requireNonNull(cost, "cost");
        if (billedPaths < 0 || wildcards < 0 || wildcards > billedPaths || collateralFiles < 0) {
            throw new IllegalArgumentException(
                    "inconsistent estimate: " + billedPaths + " paths, " + wildcards + " wildcards, "
                            + collateralFiles + " collateral");
        }
    }
}
