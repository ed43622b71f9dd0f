package io.jenkins.plugins.cloudfrontdeploy.engine.edge;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.UrlMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The edge check: once the invalidations completed, every URL of a changed file, and of a sample of unchanged ones, is
 * fetched through the site's address and its body's SHA-256 compared with the build's file. URLs that do not serve
 * the build yet are fetched again with a doubling back-off until the timeout, then reported stale (other bytes) or
 * missing (an HTTP error, no answer), with the cache headers the edge sent.
 *
 * <p>Removed files are not fetched: the build has no bytes to compare them with. Links are not either: what a web
 * server serves through them depends on its configuration.
 */
public final class EdgeVerifier {
    private static final int PARALLEL = 4;

    /** One URL to check and the file whose bytes it must serve. */
    private record Target(String url, String path, String sha256) {}

    private final EdgeOptions options;
    private final UrlMapper urls;
    private final ProgressListener listener;

    public EdgeVerifier(EdgeOptions options, UrlMapper urls, ProgressListener listener) {
        this.options = options;
        this.urls = urls;
        this.listener = listener;
    }

    /**
     * @param changes what the deploy changed
     * @param build the build now served
     * @param seed picks the sample of unchanged files (the deploy id: a re-run samples the same ones)
     */
    public EdgeResult verify(ChangeSet changes, Manifest build, String seed) {
        List<Target> targets = targets(changes, build, seed);
        String base = options.base().toString();
        listener.info("fetching " + targets.size() + " URL(s) at " + base + " to check that the edge serves the build");
        HttpClient client = EdgeFetcher.newClient();
        Duration perRequest = options.timeout().compareTo(Duration.ofSeconds(30)) < 0 && !options.timeout().isZero()
                ? options.timeout() : Duration.ofSeconds(30);
        EdgeFetcher fetcher = new EdgeFetcher(client, perRequest);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "edge-verification");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Target, EdgeUrl> last = new LinkedHashMap<>();
            Instant deadline = options.pacer().now().plus(options.timeout());
            Duration delay = options.firstRetry();
            List<Target> pending = targets;
            while (true) {
                fetchAll(pending, fetcher, pool, last);
                pending = pending.stream().filter(t -> !last.get(t).ok()).toList();
                if (pending.isEmpty() || options.pacer().now().plus(delay).isAfter(deadline)) {
                    break;
                }
                listener.info(pending.size() + " URL(s) do not serve the build yet (" + example(last.get(pending.get(0)))
                        + "); fetching them again in " + delay.toSeconds() + "s");
                options.pacer().sleep(delay);
                Duration doubled = delay.multipliedBy(2);
                delay = doubled.compareTo(options.maxRetry()) > 0 ? options.maxRetry() : doubled;
            }
            List<EdgeUrl> result = targets.stream().map(last::get).toList();
            return new EdgeResult(base, true, null, result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while checking what the edge serves", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private void fetchAll(List<Target> targets, EdgeFetcher fetcher, ExecutorService pool, Map<Target, EdgeUrl> last)
            throws InterruptedException {
        List<Future<EdgeFetcher.Answer>> answers = new ArrayList<>();
        for (Target t : targets) {
            answers.add(pool.submit(() -> fetch(fetcher, t)));
        }
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            EdgeFetcher.Answer a;
            try {
                a = answers.get(i).get();
            } catch (ExecutionException e) {
                a = new EdgeFetcher.Answer(0, null, null, null, null, "no answer: " + e.getCause());
            }
            EdgeUrl before = last.get(t);
            last.put(t, classify(t, a, before == null ? 1 : before.attempts() + 1));
        }
    }

    private EdgeFetcher.Answer fetch(EdgeFetcher fetcher, Target t) throws InterruptedException {
        URI uri;
        try {
            uri = URI.create(t.url());
        } catch (IllegalArgumentException e) {
            return new EdgeFetcher.Answer(0, null, null, null, null, "not a URL the HTTP client accepts");
        }
        return fetcher.fetch(uri);
    }

    /** ok: the build's bytes; stale: other bytes (or none that can be read); missing: an error or no answer. */
    private static EdgeUrl classify(Target t, EdgeFetcher.Answer a, int attempts) {
        String status;
        String detail;
        boolean success = a.status() >= 200 && a.status() < 300;
        if (success && a.sha256() != null) {
            boolean same = a.sha256().equals(t.sha256());
            status = same ? EdgeUrl.OK : EdgeUrl.STALE;
            detail = same ? null : "SHA-256 " + a.sha256() + " instead of the build's " + t.sha256();
        } else if (success) {
            status = EdgeUrl.STALE;
            detail = a.error();
        } else {
            status = EdgeUrl.MISSING;
            detail = a.error() != null ? a.error() : "HTTP " + a.status();
        }
        return new EdgeUrl(t.url(), t.path(), status, a.status(), a.age(), a.xCache(), a.etag(), attempts, detail);
    }

    private static String example(EdgeUrl u) {
        return u.url() + " " + u.status() + (u.xCache() == null ? "" : ", X-Cache: " + u.xCache())
                + (u.age() == null ? "" : ", Age: " + u.age());
    }

    /** Every URL of every added or modified file, then those of {@code sample} unchanged files drawn by the seed. */
    private List<Target> targets(ChangeSet changes, Manifest build, String seed) {
        List<Target> out = new ArrayList<>();
        Set<String> changed = new HashSet<>();
        for (Change c : changes.all()) {
            changed.add(c.path());
            if (c.kind() != ChangeKind.REMOVED) {
                build.find(c.path()).ifPresent(e -> add(out, e));
            }
        }
        List<ManifestEntry> unchanged = new ArrayList<>();
        for (ManifestEntry e : build.entries()) {
            if (e.type() == EntryType.FILE && !changed.contains(e.path())) {
                unchanged.add(e);
            }
        }
        Collections.shuffle(unchanged, new Random(seed == null ? 0 : seed.hashCode()));
        unchanged.stream().limit(options.sample()).sorted().forEach(e -> add(out, e));
        return out;
    }

    private void add(List<Target> out, ManifestEntry e) {
        if (e.type() != EntryType.FILE || !e.hasHash()) {
            return;
        }
        for (String url : urls.exactUrls(e.path())) {
            out.add(new Target(options.base() + url, e.path(), e.sha256Hex()));
        }
    }
}
