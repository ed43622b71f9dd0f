package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * The Invalidate stage: plan ▶ batches ▶ submit ▶ wait, once per distribution, after production was switched.
 *
 * <p>The batches are written to the journal before the first is sent and after every change, and a re-run takes
 * the journal's batches of each distribution instead of planning them again, so it sends the same paths under the
 * same caller references: CloudFront hands back what it already has, nothing is billed twice and nothing planned is
 * lost. A distribution the re-run adds gets batches planned anew.
 */
public final class CloudFrontInvalidation {
    private final InvalidationOptions options;
    private final ProgressListener listener;
    private final Map<String, Integer> usageCache;
    private boolean checked;
    private InvalidationPlan plan;
    private List<InvalidationRecord> records = List.of();

    public CloudFrontInvalidation(InvalidationOptions options, ProgressListener listener) {
        this(options, listener, new HashMap<>());
    }

    /** @param usageCache path counts of invalidations already looked up, extended by {@code --show-monthly-usage} */
    public CloudFrontInvalidation(InvalidationOptions options, ProgressListener listener,
            Map<String, Integer> usageCache) {
        this.options = options;
        this.listener = listener;
        this.usageCache = usageCache;
    }

    /**
     * Checks that every distribution exists and these credentials may use it: a deploy calls this before it writes
     * to any server, so a wrong id or a missing permission stops it with production untouched.
     */
    public void preflight() {
        try (CloudFrontClient client = CloudFrontClients.create(options.aws())) {
            preflight(new InvalidationSubmitter(client, listener, options.firstPoll(), options.maxPoll(),
                    options.vocabulary()));
        }
    }

    /**
     * Checks that every distribution fetches from this site ({@link OriginCheck}); a deploy calls this after
     * {@link #preflight()}, before it writes to any server.
     *
     * @param hosts the targets' host names (none for local targets)
     */
    public void checkOrigins(List<String> hosts) {
        if (hosts.isEmpty() && options.originDomains().isEmpty() && !options.checkOrigin()) {
            return; // nothing to compare the origins with: no call
        }
        try (CloudFrontClient client = CloudFrontClients.create(options.aws())) {
            new OriginCheck(listener, options.vocabulary()).check(client, options.distributions(), hosts,
                    options.originDomains(), options.checkOrigin());
        }
    }

    private void preflight(InvalidationSubmitter submitter) {
        if (!checked) {
            for (String d : options.distributions()) {
                submitter.preflight(d); // a wrong id or missing permission fails before any path is sent
            }
            checked = true;
        }
    }

    /**
     * What a run that failed had got to: the plan and each batch as last journaled, or {@code null} when it failed
     * before planning.
     */
    public InvalidationResult partial() {
        return plan == null ? null : new InvalidationResult(plan, records, -1);
    }

    /**
     * The plan alone: no AWS call. Its paths and billed counts are per distribution; its costs are for all the
     * distributions together.
     */
    public InvalidationPlan plan(ChangeSet changes, Manifest served, long usedThisMonth) {
        UrlMapper urls = new UrlMapper(options.urlPrefix(), options.indexDocuments(), options.directoryWithoutSlash());
        InvalidationPlanner planner = new InvalidationPlanner(urls, options.mode(), options.maxCollateral(),
                InvalidationOptions.MAX_WILDCARDS_IN_PROGRESS, options.pricing(), usedThisMonth, options.vocabulary());
        Set<String> changed = new HashSet<>();
        List<String> toInvalidate = new ArrayList<>();
        for (Change c : changes.content()) {
            changed.add(c.path());
            if (c.kind() != ChangeKind.ADDED || options.invalidateAdded()) {
                toInvalidate.add(c.path());
            }
        }
        List<String> unchanged = new ArrayList<>();
        for (ManifestEntry e : served.entries()) {
            if (e.type() != EntryType.DIRECTORY && !changed.contains(e.path())) {
                unchanged.add(e.path());
            }
        }
        InvalidationPlan plan = planner.plan(toInvalidate, unchanged);
        long distributions = options.distributions().size();
        if (distributions <= 1) {
            return plan;
        }
        // every distribution is billed for the paths, and the free tier is the account's: price them all together
        Map<PlanMode, Estimate> priced = new EnumMap<>(PlanMode.class);
        plan.estimates().forEach((mode, e) -> priced.put(mode, new Estimate(e.billedPaths(), e.wildcards(),
                e.collateralFiles(), options.pricing().cost(e.billedPaths() * distributions, usedThisMonth))));
        return new InvalidationPlan(plan.mode(), plan.paths(), priced, plan.urlsToInvalidate());
    }

    /**
     * @param served the release now live (what a wildcard would also clear)
     * @param operation names this deploy or rollback for the caller references (the release, the rollback)
     * @param journaled the batches a previous run of the same operation recorded, or empty
     * @param journal receives every batch list worth keeping
     */
    public InvalidationResult run(ChangeSet changes, Manifest served, String operation,
            List<InvalidationRecord> journaled, Consumer<List<InvalidationRecord>> journal, boolean dryRun) {
        if (dryRun && !options.showMonthlyUsage()) {
            InvalidationPlan plan = plan(changes, served, 0);
            announce(plan);
            return new InvalidationResult(plan, records(plan, operation, options.distributions()), -1);
        }
        try (CloudFrontClient client = CloudFrontClients.create(options.aws())) {
            InvalidationSubmitter submitter = new InvalidationSubmitter(client, listener, options.firstPoll(),
                    options.maxPoll(), options.vocabulary());
            preflight(submitter);
            long used = options.showMonthlyUsage()
                    ? MonthlyUsage.count(client, options.distributions(), usageCache, options.vocabulary())
                    : -1;
            plan = plan(changes, served, Math.max(0, used));
            announce(plan);
            if (used >= 0) {
                listener.info(used + " invalidation paths already submitted this month on "
                        + String.join(", ", options.distributions()) + " (the account's first "
                        + options.pricing().freePathsPerMonth() + " are free)");
            }
            if (dryRun) { // only read calls were made: the usage is worth them, a dry run sends nothing
                return new InvalidationResult(plan, records(plan, operation, options.distributions()), used);
            }
            records = resumeOrPlan(journaled, operation, journal);
            if (records.isEmpty()) {
                listener.info("nothing to invalidate");
                return new InvalidationResult(plan, records, used);
            }
            Instant deadline = Instant.now().plus(options.waitTimeout());
            listener.stageStarted(Stage.INVALIDATE, records.size());
            submitter.submit(records, journal, deadline);
            if (options.waitForCompletion()) {
                submitter.await(records, null, journal, deadline, options.vocabulary().on(Vocabulary.Setting.WAIT));
            }
            InvalidationResult result = new InvalidationResult(plan, records, used);
            long completed = records.stream().filter(InvalidationRecord::isCompleted).count();
            listener.stageFinished(Stage.INVALIDATE, records.size() + " batch(es), " + result.billedPaths()
                    + " path(s) sent, " + completed + " completed");
            return result;
        }
    }

    /**
     * The batches to send: a previous run's of each distribution it recorded (same paths, same caller references),
     * and new ones for the distributions it did not; journaled before anything is sent.
     */
    private List<InvalidationRecord> resumeOrPlan(List<InvalidationRecord> journaled, String operation,
            Consumer<List<InvalidationRecord>> journal) {
        List<String> requested = options.distributions();
        List<InvalidationRecord> out = new ArrayList<>();
        Set<String> resumed = new LinkedHashSet<>();
        Set<String> dropped = new LinkedHashSet<>();
        for (InvalidationRecord r : journaled) {
            if (requested.contains(r.distribution())) {
                out.add(r);
                resumed.add(r.distribution());
            } else {
                dropped.add(r.distribution());
            }
        }
        if (!dropped.isEmpty()) {
            listener.warning("a previous run recorded invalidation batches for " + String.join(", ", dropped)
                    + ", which this run does not name: they are not sent");
        }
        if (!resumed.isEmpty()) {
            listener.info("resuming the " + out.size() + " invalidation batch(es) a previous run recorded for "
                    + String.join(", ", resumed));
        }
        List<InvalidationRecord> added = records(plan, operation,
                requested.stream().filter(d -> !resumed.contains(d)).toList());
        out.addAll(added);
        if (!added.isEmpty() || !dropped.isEmpty()) {
            journal.accept(out);
        }
        return out;
    }

    private List<InvalidationRecord> records(InvalidationPlan plan, String operation, List<String> distributions) {
        List<List<InvalidationPath>> batches = Batcher.split(plan.paths(), options.batchSize(),
                InvalidationOptions.MAX_WILDCARDS_IN_PROGRESS, options.vocabulary());
        List<InvalidationRecord> records = new ArrayList<>();
        for (String d : distributions) {
            for (int i = 0; i < batches.size(); i++) {
                List<String> paths = batches.get(i).stream().map(InvalidationPath::path).toList();
                records.add(InvalidationRecord.planned(d, operation, i + 1, batches.size(), paths));
            }
        }
        return records;
    }

    private void announce(InvalidationPlan plan) {
        Map<PlanMode, Estimate> e = plan.estimates();
        StringBuilder s = new StringBuilder("invalidation plan (" + plan.mode().name().toLowerCase() + "): "
                + plan.billedPaths() + " path(s) for " + plan.urlsToInvalidate() + " URL(s) on "
                + options.distributions().size() + " distribution(s)");
        for (PlanMode m : PlanMode.values()) {
            Estimate x = e.get(m);
            s.append("; ").append(m.name().toLowerCase()).append(": ").append(x.billedPaths()).append(" billed, ")
                    .append(x.collateralFiles()).append(" collateral, $").append(x.cost());
        }
        listener.info(s.toString());
    }
}
