package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.AccessDeniedException;
import software.amazon.awssdk.services.cloudfront.model.Origin;

/**
 * Checks, before anything is written, that each distribution fetches from this site: one of its origins' domain
 * names is a target's host or an origin domain the user named. Invalidating another site's distribution bills
 * money and leaves this one's stale. Only {@code cloudfront:GetDistribution} is needed, and it is optional: without
 * it the check is skipped with a warning, unless the user made the check a requirement.
 */
public final class OriginCheck {
    private final ProgressListener listener;
    private final Vocabulary words;

    public OriginCheck(ProgressListener listener, Vocabulary words) {
        this.listener = listener;
        this.words = words;
    }

    /**
     * @param hosts the targets' host names (none for local targets)
     * @param originDomains further names this site's origin is reached under
     * @param required fail instead of warning
     */
    public void check(CloudFrontClient client, List<String> distributions, List<String> hosts,
            List<String> originDomains, boolean required) {
        Set<String> ours = new LinkedHashSet<>();
        hosts.forEach(h -> ours.add(normal(h)));
        originDomains.forEach(h -> ours.add(normal(h)));
        if (ours.isEmpty()) {
            if (required) {
                throw new DeployException(words.on(Vocabulary.Setting.CHECK_ORIGIN) + " needs a name to compare the"
                        + " distributions' origins with, and the targets are local: give the origin's domain name ("
                        + words.given(Vocabulary.Setting.ORIGIN_DOMAIN, "origin.example.com") + ")");
            }
            return; // nothing to compare with: a local deploy without origin domains is not checked
        }
        for (String d : distributions) {
            List<String> origins = origins(client, d, required);
            if (origins == null) {
                continue;
            }
            if (origins.stream().map(OriginCheck::normal).noneMatch(ours::contains)) {
                String message = "the CloudFront distribution " + d + " fetches from " + String.join(", ", origins)
                        + ", none of which is " + String.join(", ", ours) + " (the targets' hosts and "
                        + words.name(Vocabulary.Setting.ORIGIN_DOMAIN) + "): invalidating it would bill paths and"
                        + " leave this site's pages stale. Check " + words.name(Vocabulary.Setting.DISTRIBUTION)
                        + ", or, if the servers are that origin under another name, give it ("
                        + words.given(Vocabulary.Setting.ORIGIN_DOMAIN, origins.isEmpty() ? "origin.example.com"
                                : origins.get(0)) + ")";
                if (required) {
                    throw new DeployException(message + "; nothing was uploaded or invalidated");
                }
                listener.warning(message);
            } else {
                listener.info(d + " fetches from " + String.join(", ", origins) + ": it serves this site");
            }
        }
    }

    /** The distribution's origin domain names, or {@code null} when reading them was denied and is optional. */
    private List<String> origins(CloudFrontClient client, String distribution, boolean required) {
        try {
            List<String> names = new ArrayList<>();
            for (Origin o : client.getDistribution(b -> b.id(distribution)).distribution().distributionConfig()
                    .origins().items()) {
                names.add(o.domainName());
            }
            return names;
        } catch (AccessDeniedException e) {
            String what = "cloudfront:GetDistribution was denied on " + distribution;
            if (required) {
                throw new DeployException(what + ", and " + words.on(Vocabulary.Setting.CHECK_ORIGIN) + " needs it to"
                        + " read the distribution's origins: grant it, or turn that check off", e);
            }
            listener.warning(what + ": the check that the distribution serves this site was skipped (the permission"
                    + " is optional; grant it to have the check)");
            return null;
        } catch (SdkException e) {
            throw InvalidationSubmitter.explain(distribution, e, words);
        }
    }

    private static String normal(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
