package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A CloudFront edge on 127.0.0.1 in front of a production link on disk: it caches what it fetched from that origin
 * (200s, the origin's 301 for a folder URL without its '/', and 404s) under the raw request path, and serves the
 * cached copy until the {@link FakeCloudFront} says an invalidation covering that path, created after it was cached,
 * completed. Bodies go gzip-compressed to clients that accept it, with {@code X-Cache}, {@code Age} and
 * {@code ETag} as CloudFront sends them.
 */
public final class FakeEdge implements AutoCloseable {
    private record Cached(int status, byte[] body, String etag, String location, Instant cachedAt,
            int invalidationsKnown) {}

    private final LoopbackHttpServer server;
    private final Path origin;
    private final FakeCloudFront cloudFront;
    private final String distribution;
    private final String urlPrefix;
    // guarded by this
    private final Map<String, Cached> cache = new HashMap<>();
    private final Map<String, Integer> lag = new HashMap<>();
    private final Map<String, Integer> requests = new HashMap<>();
    private int gzipped;

    /**
     * @param origin the production link the origin server serves
     * @param urlPrefix the path the site is served under, starting and ending with '/'
     */
    private FakeEdge(Path origin, FakeCloudFront cloudFront, String distribution, String urlPrefix)
            throws IOException {
        this.origin = origin;
        this.cloudFront = cloudFront;
        this.distribution = distribution;
        this.urlPrefix = urlPrefix;
        server = new LoopbackHttpServer("fake-edge", this::handle);
    }

    public static FakeEdge start(Path origin, FakeCloudFront cloudFront, String distribution, String urlPrefix)
            throws IOException {
        FakeEdge edge = new FakeEdge(origin, cloudFront, distribution, urlPrefix);
        edge.server.start();
        return edge;
    }

    public URI base() {
        return server.endpoint();
    }

    /** Fetches these raw paths from the origin into the cache now, as visitors' requests would. */
    public synchronized FakeEdge warm(String... rawPaths) throws IOException {
        for (String p : rawPaths) {
            cache.put(p, fromOrigin(p));
        }
        return this;
    }

    /** The next {@code n} requests for this path still get the old copy after its invalidation completed. */
    public synchronized FakeEdge lag(String rawPath, int n) {
        lag.put(rawPath, n);
        return this;
    }

    /** Requests received for this raw path. */
    public synchronized int requests(String rawPath) {
        return requests.getOrDefault(rawPath, 0);
    }

    /** Responses sent gzip-compressed. */
    public synchronized int gzipped() {
        return gzipped;
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String raw = exchange.getRequestURI().getRawPath();
            boolean gzip = String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding")).contains("gzip");
            Cached c;
            boolean hit;
            synchronized (this) {
                requests.merge(raw, 1, Integer::sum);
                c = cache.get(raw);
                hit = c != null;
                if (hit && invalidated(raw, c)) {
                    int left = lag.getOrDefault(raw, 0);
                    if (left > 0) {
                        lag.put(raw, left - 1);
                    } else {
                        hit = false;
                    }
                }
                if (!hit) {
                    c = fromOrigin(raw);
                    cache.put(raw, c);
                }
                if (c.status() == 200 && gzip) {
                    gzipped++;
                }
            }
            var h = exchange.getResponseHeaders();
            h.set("X-Cache", (c.status() >= 400 ? "Error" : hit ? "Hit" : "Miss") + " from cloudfront");
            h.set("Age", String.valueOf(Duration.between(c.cachedAt(), Instant.now()).toSeconds()));
            if (c.etag() != null) {
                h.set("ETag", c.etag());
            }
            if (c.location() != null) {
                h.set("Location", c.location());
            }
            byte[] body = c.body();
            if (c.status() == 200 && gzip) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                    z.write(body);
                }
                body = out.toByteArray();
                h.set("Content-Encoding", "gzip");
            }
            exchange.sendResponseHeaders(c.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    /** Whether an invalidation created after the copy was cached, and completed, covers the path. */
    private boolean invalidated(String raw, Cached c) {
        List<FakeCloudFront.Invalidation> all = cloudFront.invalidations(distribution);
        for (FakeCloudFront.Invalidation i : all.subList(c.invalidationsKnown(), all.size())) {
            if (i.completed() && i.paths().stream().anyMatch(p -> p.endsWith("*")
                    ? raw.startsWith(p.substring(0, p.length() - 1)) : raw.equals(p))) {
                return true;
            }
        }
        return false;
    }

    /** What the origin web server answers: the file, index.html for a folder URL, a 301 to add the '/', or 404. */
    private Cached fromOrigin(String raw) throws IOException {
        int known = cloudFront.invalidations(distribution).size();
        Instant now = Instant.now();
        String path = URI.create(raw).getPath();
        if (!path.startsWith(urlPrefix)) {
            return new Cached(404, new byte[0], null, null, now, known);
        }
        String relative = path.substring(urlPrefix.length());
        Path file = relative.isEmpty() ? origin : origin.resolve(relative);
        if (Files.isDirectory(file)) {
            if (!relative.isEmpty() && !relative.endsWith("/")) {
                return new Cached(301, new byte[0], null, server.endpoint() + raw + "/", now, known);
            }
            file = file.resolve("index.html");
        }
        try {
            byte[] body = Files.readAllBytes(file);
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
            return new Cached(200, body, etag, null, now, known);
        } catch (NoSuchFileException e) {
            return new Cached(404, "<h1>404 Not Found</h1>".getBytes(), null, null, now, known);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
