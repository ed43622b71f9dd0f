package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What to invalidate where, and how. No distribution means no invalidation (a deploy still switches). Built with
 * {@link #builder}.
 *
 * @param indexDocuments file names that also serve their folder's URL ({@code a/index.html} → {@code /a/})
 * @param maxCollateral the share of a folder's unchanged URLs a wildcard may clear too (0: only folders whose every
 *     URL changed)
 * @param batchSize the most file paths per invalidation request (CloudFront allows 3,000 in progress)
 * @param firstPoll the first wait between status checks (growing by half up to {@code maxPoll})
 * @param vocabulary how the front end names the options, for the messages (also those of {@code aws})
 * @param originDomains origin domain names that count as this site's besides the targets' hosts
 * @param checkOrigin fail, rather than warn, when a distribution has no origin of this site
 */
public record InvalidationOptions(
        List<String> distributions,
        String urlPrefix,
        List<String> indexDocuments,
        boolean directoryWithoutSlash,
        boolean invalidateAdded,
        PlanMode mode,
        double maxCollateral,
        int batchSize,
        boolean waitForCompletion,
        Duration waitTimeout,
        Pricing pricing,
        boolean showMonthlyUsage,
        CloudFrontSettings aws,
        Duration firstPoll,
        Duration maxPoll,
        Vocabulary vocabulary,
        List<String> originDomains,
        boolean checkOrigin)
        implements Serializable {
    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final int MAX_WILDCARDS_IN_PROGRESS = 15;
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMinutes(30);
    public static final InvalidationOptions NONE = builder().build();

    public InvalidationOptions {
        vocabulary = vocabulary != null ? vocabulary : Vocabulary.CLI;
        aws = aws == null || aws.vocabulary() == vocabulary ? aws : aws.withVocabulary(vocabulary);
        distributions = List.copyOf(distributions);
        for (String d : distributions) {
            if (!d.matches("[A-Z0-9]{1,64}")) {
                throw new DeployException("the distribution ID '" + d.replaceAll("\\p{Cntrl}", "?") + "' is not"
                        + " valid: give the ID shown in the CloudFront console, such as E2QWRUHAPOMQZL");
            }
        }
        if (distributions.stream().distinct().count() != distributions.size()) {
            throw new DeployException("the same distribution is given twice: " + distributions);
        }
        indexDocuments = List.copyOf(indexDocuments);
        originDomains = originDomains == null ? List.of() : List.copyOf(originDomains);
        if (waitTimeout.isNegative() || waitTimeout.isZero()) {
            throw new DeployException(vocabulary.given(Vocabulary.Setting.WAIT_TIMEOUT, waitTimeout.toMinutes())
                    + " is not valid: give minutes > 0");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public InvalidationOptions withMode(PlanMode other) {
        return new InvalidationOptions(distributions, urlPrefix, indexDocuments, directoryWithoutSlash,
                invalidateAdded, other, maxCollateral, batchSize, waitForCompletion, waitTimeout, pricing,
                showMonthlyUsage, aws, firstPoll, maxPoll, vocabulary, originDomains, checkOrigin);
    }

    public InvalidationOptions withVocabulary(Vocabulary other) {
        return other == vocabulary ? this : new InvalidationOptions(distributions, urlPrefix, indexDocuments,
                directoryWithoutSlash, invalidateAdded, mode, maxCollateral, batchSize, waitForCompletion, waitTimeout,
                pricing, showMonthlyUsage, aws, firstPoll, maxPoll, other, originDomains, checkOrigin);
    }

    /** These options, waiting for the batches to complete (what checking the edge afterwards needs). */
    public InvalidationOptions withWait() {
        return new InvalidationOptions(distributions, urlPrefix, indexDocuments, directoryWithoutSlash,
                invalidateAdded, mode, maxCollateral, batchSize, true, waitTimeout, pricing, showMonthlyUsage, aws,
                firstPoll, maxPoll, vocabulary, originDomains, checkOrigin);
    }

    /**
     * These options with the origin check's: {@code domains} count as this site's origins besides the targets'
     * hosts, and {@code required} makes a distribution without such an origin an error instead of a warning.
     */
    public InvalidationOptions withOrigin(List<String> domains, boolean required) {
        return new InvalidationOptions(distributions, urlPrefix, indexDocuments, directoryWithoutSlash,
                invalidateAdded, mode, maxCollateral, batchSize, waitForCompletion, waitTimeout, pricing,
                showMonthlyUsage, aws, firstPoll, maxPoll, vocabulary, domains, required);
    }

    public boolean enabled() {
        return !distributions.isEmpty();
    }

    /** Collects the options; everything has a default. */
    public static final class Builder {
        private List<String> distributions = List.of();
        private String urlPrefix = "/";
        private List<String> indexDocuments = List.of("index.html");
        private boolean directoryWithoutSlash;
        private boolean invalidateAdded;
        private PlanMode mode = PlanMode.AUTO;
        private double maxCollateral;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean waitForCompletion;
        private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
        private Pricing pricing = Pricing.DEFAULT;
        private boolean showMonthlyUsage;
        private CloudFrontSettings aws = CloudFrontSettings.DEFAULT;
        private Duration firstPoll = Duration.ofSeconds(5);
        private Duration maxPoll = Duration.ofSeconds(30);
        private Vocabulary vocabulary;

        public Builder distributions(List<String> v) {
            distributions = v;
            return this;
        }

        public Builder urlPrefix(String v) {
            urlPrefix = v;
            return this;
        }

        public Builder indexDocuments(List<String> v) {
            indexDocuments = v;
            return this;
        }

        public Builder directoryWithoutSlash(boolean v) {
            directoryWithoutSlash = v;
            return this;
        }

        public Builder invalidateAdded(boolean v) {
            invalidateAdded = v;
            return this;
        }

        public Builder mode(PlanMode v) {
            mode = v;
            return this;
        }

        public Builder maxCollateral(double v) {
            maxCollateral = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder waitForCompletion(boolean v) {
            waitForCompletion = v;
            return this;
        }

        public Builder waitTimeout(Duration v) {
            waitTimeout = v;
            return this;
        }

        public Builder pricing(Pricing v) {
            pricing = v;
            return this;
        }

        public Builder showMonthlyUsage(boolean v) {
            showMonthlyUsage = v;
            return this;
        }

        public Builder aws(CloudFrontSettings v) {
            aws = v;
            return this;
        }

        /** How often to ask CloudFront for a batch's status: first after {@code first}, then up to {@code max}. */
        public Builder polling(Duration first, Duration max) {
            firstPoll = first;
            maxPoll = max;
            return this;
        }

        /** The front end's words for the messages (default: the command line's). */
        public Builder vocabulary(Vocabulary v) {
            vocabulary = v;
            return this;
        }

        public InvalidationOptions build() {
            return new InvalidationOptions(distributions, urlPrefix, indexDocuments, directoryWithoutSlash,
                    invalidateAdded, mode, maxCollateral, batchSize, waitForCompletion, waitTimeout, pricing,
                    showMonthlyUsage, aws, firstPoll, maxPoll, vocabulary, List.of(), false);
        }
    }
}
