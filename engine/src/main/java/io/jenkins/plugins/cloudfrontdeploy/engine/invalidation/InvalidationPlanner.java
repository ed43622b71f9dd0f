package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the changed files of a deploy into the invalidation paths to request, and estimates what each
 * {@link PlanMode} would cost.
 *
 * <p>{@link PlanMode#AUTO} replaces the URLs under a directory D by the wildcard {@code D*} where that bills fewer
 * paths, choosing the set of directories that bills the fewest paths overall (then clears the fewest unchanged URLs,
 * then uses the fewest wildcards) under two constraints: a directory collapses only if its unchanged URLs are at most
 * {@code maxCollateral} of all its URLs, and the plan holds at most {@code maxWildcards} wildcards, CloudFront's limit
 * in progress per distribution. bep/s3deploy's {@code normalizeInvalidationPaths} instead collapses every path one
 * level up at a time until at most 8 remain, falling back to {@code /*}: it clears unchanged files without limit,
 * may send more wildcards than can run at once, and collapses levels even where a directory gains nothing. Here a
 * wildcard is chosen per directory, only where it pays, and never so that AUTO bills more than FILES.
 */
public final class InvalidationPlanner {
    /** CloudFront's limit of wildcard paths in progress per distribution. */
    static final int WILDCARD_LIMIT = 15;

    private final UrlMapper urls;
    private final PlanMode mode;
    private final BigDecimal maxCollateral;
    private final int maxWildcards;
    private final Pricing pricing;
    private final long alreadyUsedThisMonth;

    /**
     * @param maxCollateral the share (0 to 1) of a directory's URLs that may be unchanged when it becomes a wildcard:
     *     0 collapses only directories whose every URL changed
     * @param maxWildcards wildcards the plan may hold, 0 to 15, forced ones included
     * @param alreadyUsedThisMonth invalidation paths the account already requested this month, for the cost
     */
    public InvalidationPlanner(
            UrlMapper urls,
            PlanMode mode,
            double maxCollateral,
            int maxWildcards,
            Pricing pricing,
            long alreadyUsedThisMonth) {
        this(urls, mode, maxCollateral, maxWildcards, pricing, alreadyUsedThisMonth, Vocabulary.CLI);
    }

    /** As the other form; {@code words} name the options in the messages as the front end spells them. */
    public InvalidationPlanner(
            UrlMapper urls,
            PlanMode mode,
            double maxCollateral,
            int maxWildcards,
            Pricing pricing,
            long alreadyUsedThisMonth,
            Vocabulary words) {
        this.urls = Objects.requireNonNull(urls, "urls");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.pricing = Objects.requireNonNull(pricing, "pricing");
        if (!(maxCollateral >= 0 && maxCollateral <= 1)) {
            throw new DeployException(words.given(Vocabulary.Setting.MAX_COLLATERAL, maxCollateral) + " is not"
                    + " between 0 and 1: give the share of a directory's files that may be cleared unchanged, 0 (none)"
                    + " up to 1 (any)");
        }
        // Exact decimal, so that 0.29 of 100 URLs allows 29 and not 28.999….
        this.maxCollateral = BigDecimal.valueOf(maxCollateral);
        if (maxWildcards < 0 || maxWildcards > WILDCARD_LIMIT) {
            throw new DeployException("maximum wildcards " + maxWildcards + " is not between 0 and " + WILDCARD_LIMIT
                    + ": CloudFront runs at most " + WILDCARD_LIMIT + " wildcard paths at once per distribution");
        }
        this.maxWildcards = maxWildcards;
        if (alreadyUsedThisMonth < 0) {
            throw new DeployException("invalidation paths already used this month " + alreadyUsedThisMonth
                    + " is negative: give 0 or more");
        }
        this.alreadyUsedThisMonth = alreadyUsedThisMonth;
    }

    /**
     * @param toInvalidate relative paths of the files and links whose URLs must be invalidated
     * @param unchanged relative paths of the files and links still served and not changed: a wildcard clearing their
     *     URLs costs a cache miss for nothing
     */
    public InvalidationPlan plan(Collection<String> toInvalidate, Collection<String> unchanged) {
        Set<String> changedUrls = new HashSet<>();
        for (String path : toInvalidate) {
            changedUrls.addAll(urls.exactUrls(path));
        }
        // A URL both lists serve (e.g. two index documents of one directory) changed.
        Set<String> unchangedUrls = new HashSet<>();
        for (String path : unchanged) {
            for (String url : urls.exactUrls(path)) {
                if (!changedUrls.contains(url)) {
                    unchangedUrls.add(url);
                }
            }
        }
        String[] unchangedSorted = unchangedUrls.toArray(new String[0]);
        Arrays.sort(unchangedSorted);

        Map<PlanMode, List<InvalidationPath>> candidates = new EnumMap<>(PlanMode.class);
        if (changedUrls.isEmpty()) {
            for (PlanMode m : PlanMode.values()) {
                candidates.put(m, List.of());
            }
        } else {
            Map<String, InvalidationPath> files = new TreeMap<>();
            List<String> exact = new ArrayList<>();
            List<String> forced = new ArrayList<>();
            for (String url : changedUrls) {
                InvalidationPath path = UrlMapper.toPath(url);
                files.put(path.path(), path);
                if (path.wildcard()) {
                    forced.add(path.prefix());
                } else {
                    exact.add(url);
                }
            }
            Prefixes forcedPrefixes = Prefixes.of(forced);
            exact.removeIf(forcedPrefixes::covers);
            List<InvalidationPath> auto = new ArrayList<>(WildcardChooser.choose(
                    urls.prefix(), exact, forcedPrefixes, changedUrls, unchangedUrls, maxCollateral, maxWildcards));
            auto.sort(Comparator.comparing(InvalidationPath::path));
            candidates.put(PlanMode.FILES, List.copyOf(files.values()));
            candidates.put(PlanMode.AUTO, auto);
            candidates.put(PlanMode.ALL, List.of(InvalidationPath.of(urls.prefix() + "*")));
        }

        Map<PlanMode, Estimate> estimates = new EnumMap<>(PlanMode.class);
        candidates.forEach((m, paths) -> estimates.put(m, estimate(paths, unchangedSorted)));
        return new InvalidationPlan(mode, candidates.get(mode), estimates, changedUrls.size());
    }

    private Estimate estimate(List<InvalidationPath> paths, String[] unchangedSorted) {
        int wildcards = (int) paths.stream().filter(InvalidationPath::wildcard).count();
        long collateral = Prefixes.ofWildcards(paths).countCovered(unchangedSorted);
        return new Estimate(paths.size(), wildcards, collateral, pricing.cost(paths.size(), alreadyUsedThisMonth));
    }
}
