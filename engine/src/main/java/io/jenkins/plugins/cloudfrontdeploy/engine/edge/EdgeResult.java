package io.jenkins.plugins.cloudfrontdeploy.engine.edge;

import java.io.Serializable;
import java.util.List;

/**
 * What the edge served once the deploy's invalidations completed: every changed URL and a sample of unchanged ones.
 *
 * @param base the base URL the URLs were fetched under, {@code null} when no check was asked for
 * @param verified whether the URLs were fetched
 * @param reason why they were not ({@code null} when they were)
 * @param urls each URL's last answer, in the order fetched
 */
public record EdgeResult(String base, boolean verified, String reason, List<EdgeUrl> urls) implements Serializable {
    public EdgeResult {
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    public static EdgeResult notVerified(String base, String reason) {
        return new EdgeResult(base, false, reason, List.of());
    }

    public long ok() {
        return count(EdgeUrl.OK);
    }

    public long stale() {
        return count(EdgeUrl.STALE);
    }

    public long missing() {
        return count(EdgeUrl.MISSING);
    }

    /** The URLs that do not serve the build: stale, then missing. */
    public List<EdgeUrl> failing() {
        return urls.stream().filter(u -> !u.ok()).toList();
    }

    private long count(String status) {
        return urls.stream().filter(u -> u.status().equals(status)).count();
    }
}
