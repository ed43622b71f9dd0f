package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What CloudFront bills for invalidation paths: a free allowance per month (shared by every distribution of the AWS
 * account), then a price per path. A wildcard is one path however much it clears.
 *
 * @param pricePerPath in US dollars
 */
public record Pricing(BigDecimal pricePerPath, long freePathsPerMonth) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** AWS's published price: 1,000 free paths a month, then $0.005 a path. Check the pricing page before quoting. */
    public static final Pricing DEFAULT = new Pricing(new BigDecimal("0.005"), 1000);

    public Pricing {
        Objects.requireNonNull(pricePerPath, "pricePerPath");
        if (pricePerPath.signum() < 0) {
            throw new DeployException("price per invalidation path " + pricePerPath.toPlainString()
                    + " is negative: give a price of 0 or more, such as 0.005");
        }
        if (freePathsPerMonth < 0) {
            throw new DeployException("free invalidation paths per month " + freePathsPerMonth
                    + " is negative: give 0 or more, such as 1000");
        }
    }

    /**
     * The price of {@code billedPaths} more paths when {@code alreadyUsedThisMonth} were already requested this month:
     * only what exceeds the free allowance left is paid.
     */
    public BigDecimal cost(long billedPaths, long alreadyUsedThisMonth) {
        if (billedPaths < 0 || alreadyUsedThisMonth < 0) {
            throw new IllegalArgumentException("negative path count: " + billedPaths + ", " + alreadyUsedThisMonth);
        }
        long freeLeft = Math.max(0, freePathsPerMonth - alreadyUsedThisMonth);
        return pricePerPath.multiply(BigDecimal.valueOf(Math.max(0, billedPaths - freeLeft)));
    }
}
