package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The paths to send to CloudFront for one deploy, with what each mode would have cost so the report can compare.
 *
 * @param mode the mode whose paths these are
 * @param paths sorted, distinct; empty when nothing needs invalidating
 * @param estimates one for each of {@link PlanMode#FILES}, {@link PlanMode#AUTO} and {@link PlanMode#ALL}
 * @param urlsToInvalidate distinct URLs of the files whose cached copies must go
 */
public record InvalidationPlan(
        PlanMode mode, List<InvalidationPath> paths, Map<PlanMode, Estimate> estimates, long urlsToInvalidate)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public InvalidationPlan {
        Objects.requireNonNull(mode, "mode");
        paths = List.copyOf(paths);
        EnumMap<PlanMode, Estimate> copy = new EnumMap<>(PlanMode.class);
        copy.putAll(estimates);
        if (copy.size() != PlanMode.values().length || copy.containsValue(null)) {
            throw new IllegalArgumentException("an estimate is needed for every mode, got " + estimates.keySet());
        }
        estimates = Collections.unmodifiableMap(copy);
    }

    public long billedPaths() {
        return paths.size();
    }

    public int wildcards() {
        return (int) paths.stream().filter(InvalidationPath::wildcard).count();
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }
}
