package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import java.io.Serializable;
import java.util.List;

/**
 * The invalidation stage's outcome: the plan (with the estimates of every mode) and each batch as CloudFront last
 * reported it.
 *
 * @param usedThisMonth paths already submitted this calendar month on the distributions, or -1 when not counted
 */
public record InvalidationResult(InvalidationPlan plan, List<InvalidationRecord> batches, long usedThisMonth)
        implements Serializable {
    public InvalidationResult {
        batches = List.copyOf(batches);
    }

    /** Batches planned and journaled but not sent yet (a re-run sends them); each batch's status tells the rest. */
    public long pending() {
        return batches.stream().filter(b -> !b.isSubmitted()).count();
    }

    /** Paths billed (before the free tier) across all distributions. */
    public long billedPaths() {
        return batches.stream().mapToLong(b -> b.paths().size()).sum();
    }
}
