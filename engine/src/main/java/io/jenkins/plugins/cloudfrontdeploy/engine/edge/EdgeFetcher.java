package io.jenkins.plugins.cloudfrontdeploy.engine.edge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Fetches one URL as a browser would get it, through the JDK's HTTP client: redirects followed (a folder URL without
 * its '/' is usually one), gzip asked for and decoded, since that is the variant browsers load, and the body hashed.
 */
final class EdgeFetcher {
    /** The final answer: status, the decoded body's SHA-256 (hex, {@code null} without a body) and the cache headers. */
    record Answer(int status, String sha256, String age, String xCache, String etag, String error) {}

    private final HttpClient client;
    private final Duration requestTimeout;

    EdgeFetcher(HttpClient client, Duration requestTimeout) {
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
    }

    Answer fetch(URI url) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "cloudfront-deploy (edge verification)")
                .GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(0, null, null, null, null, "no answer: " + e);
        }
        String age = header(response, "Age");
        String xCache = header(response, "X-Cache");
        String etag = header(response, "ETag");
        String encoding = header(response, "Content-Encoding");
        try {
            String sha = sha256(decoded(response.body(), encoding));
            return new Answer(response.statusCode(), sha, age, xCache, etag, null);
        } catch (IOException e) {
            return new Answer(response.statusCode(), null, age, xCache, etag, "the body could not be decoded ("
                    + encoding + "): " + e.getMessage());
        }
    }

    /** The body as the file's bytes; an encoding the JDK cannot decode (br, zstd) is an error, not a mismatch. */
    private static byte[] decoded(byte[] body, String encoding) throws IOException {
        String e = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
        InputStream in = new ByteArrayInputStream(body);
        switch (e) {
            case "", "identity" -> {
                return body;
            }
            case "gzip", "x-gzip" -> in = new GZIPInputStream(in);
            case "deflate" -> in = new InflaterInputStream(in);
            default -> throw new IOException("unsupported Content-Encoding " + encoding);
        }
        try (InputStream decoding = in) {
            return decoding.readAllBytes();
        }
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
