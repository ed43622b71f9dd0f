package io.jenkins.plugins.cloudfrontdeploy.engine.edge;

import java.io.Serializable;

/**
 * What the edge served for one URL, the last time it was fetched.
 *
 * @param url the URL fetched (redirects followed from there)
 * @param path the build's file it must serve
 * @param status {@link #OK} (the build's bytes), {@link #STALE} (other bytes) or {@link #MISSING} (an HTTP error,
 *     or no answer)
 * @param httpStatus the final response's status, 0 when there was none
 * @param age the {@code Age} header (seconds the edge has held the object), or {@code null}
 * @param xCache the {@code X-Cache} header ({@code Hit from cloudfront}, {@code RefreshHit …}, {@code Error …})
 * @param etag the {@code ETag} header
 * @param attempts how often the URL was fetched
 * @param detail why it is not ok, in words, or {@code null}
 */
public record EdgeUrl(String url, String path, String status, int httpStatus, String age, String xCache, String etag,
        int attempts, String detail) implements Serializable {
    public static final String OK = "ok";
    public static final String STALE = "stale";
    public static final String MISSING = "missing";

    public boolean ok() {
        return OK.equals(status);
    }
}
