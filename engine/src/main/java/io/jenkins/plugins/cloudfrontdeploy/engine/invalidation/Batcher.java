package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/** Splits the paths of a plan into invalidation requests that CloudFront's in-progress limits can accept. */
public final class Batcher {
    /** CloudFront's limit of file (non-wildcard) paths in progress per distribution. */
    static final int FILE_LIMIT = 3000;

    private Batcher() {}

    /**
     * Fills as few batches as both limits allow: batch i takes the i-th run of {@code batchSize} file paths and the
     * i-th run of {@code maxWildcardsPerBatch} wildcards. Each path lands in exactly one batch, in its original order.
     *
     * @param batchSize most file (non-wildcard) paths per batch, 1 to 3,000
     * @param maxWildcardsPerBatch most wildcard paths per batch, 1 to 15
     */
    public static List<List<InvalidationPath>> split(
            List<InvalidationPath> paths, int batchSize, int maxWildcardsPerBatch) {
        return split(paths, batchSize, maxWildcardsPerBatch, Vocabulary.CLI);
    }

    /** As the other form; {@code words} name the batch size in the messages as the front end spells it. */
    public static List<List<InvalidationPath>> split(
            List<InvalidationPath> paths, int batchSize, int maxWildcardsPerBatch, Vocabulary words) {
        if (batchSize < 1 || batchSize > FILE_LIMIT) {
            throw new DeployException(words.given(Vocabulary.Setting.BATCH_SIZE, batchSize) + " is not between 1 and "
                    + FILE_LIMIT
                    + ": CloudFront accepts at most " + FILE_LIMIT
                    + " file paths in progress per distribution");
        }
        if (maxWildcardsPerBatch < 1 || maxWildcardsPerBatch > InvalidationPlanner.WILDCARD_LIMIT) {
            throw new DeployException("maximum wildcards per batch " + maxWildcardsPerBatch + " is not between 1 and "
                    + InvalidationPlanner.WILDCARD_LIMIT + ": CloudFront runs at most "
                    + InvalidationPlanner.WILDCARD_LIMIT + " wildcard paths at once per distribution");
        }
        List<List<InvalidationPath>> batches = new ArrayList<>();
        int files = 0;
        int wildcards = 0;
        for (InvalidationPath path : paths) {
            int batch = path.wildcard() ? wildcards++ / maxWildcardsPerBatch : files++ / batchSize;
            while (batches.size() <= batch) {
                batches.add(new ArrayList<>());
            }
            batches.get(batch).add(path);
        }
        // Batches fill from the first, so none before the last of either kind is empty.
        return batches.stream().map(List::copyOf).toList();
    }
}
