package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.InvalidationList;
import software.amazon.awssdk.services.cloudfront.model.InvalidationSummary;

/**
 * Counts the invalidation paths already submitted this calendar month (UTC) on some distributions: the free 1,000
 * paths a month are per account, so what other deploys used decides what this one costs. ListInvalidations gives the
 * ids, newest first; each one's path count needs a GetInvalidation, so counts are kept in a cache (an invalidation
 * never changes its paths).
 */
public final class MonthlyUsage {
    private MonthlyUsage() {}

    /** @param cache invalidation id ▶ path count, read and extended */
    public static long count(CloudFrontClient client, List<String> distributions, Map<String, Integer> cache) {
        return count(client, distributions, cache, Vocabulary.CLI);
    }

    /** As the other form; {@code words} name the options in the messages as the front end spells them. */
    public static long count(CloudFrontClient client, List<String> distributions, Map<String, Integer> cache,
            Vocabulary words) {
        Instant monthStart = YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long total = 0;
        for (String distribution : distributions) {
            try {
                total += count(client, distribution, monthStart, cache);
            } catch (SdkException e) {
                throw InvalidationSubmitter.explain(distribution, e, words);
            }
        }
        return total;
    }

    private static long count(CloudFrontClient client, String distribution, Instant monthStart,
            Map<String, Integer> cache) {
        long total = 0;
        String marker = null;
        while (true) {
            String from = marker;
            InvalidationList page = client.listInvalidations(b -> b.distributionId(distribution).maxItems("100")
                    .marker(from)).invalidationList();
            for (InvalidationSummary s : page.items()) {
                if (s.createTime().isBefore(monthStart)) {
                    return total; // newest first: the rest is older
                }
                total += cache.computeIfAbsent(distribution + "/" + s.id(), k -> client.getInvalidation(
                        b -> b.distributionId(distribution).id(s.id())).invalidation().invalidationBatch().paths()
                        .quantity());
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextMarker() == null) {
                return total;
            }
            marker = page.nextMarker();
        }
    }
}
