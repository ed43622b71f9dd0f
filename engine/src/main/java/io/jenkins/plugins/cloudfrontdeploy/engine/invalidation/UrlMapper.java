package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps a file of the site to the CloudFront invalidation paths of the URLs that serve it, encoded exactly as CloudFront
 * requires: a path encoded differently from the cache key is accepted, billed, and clears nothing.
 */
public final class UrlMapper {
    /** Leaves room for paths below the prefix within CloudFront's 4,000 characters. */
    private static final int MAX_PREFIX = 2000;

    private static final boolean[] ENCODE = new boolean[128];

    static {
        for (char c = 0; c < 0x20; c++) {
            ENCODE[c] = true;
        }
        ENCODE[0x7F] = true;
        // RFC 1738's "unsafe" characters, which CloudFront wants encoded (its '~' is handled apart, see toPath),
        // plus '?': raw, it would start a query string and the path would name another object.
        for (char c : " <>\"#%{}|\\^[]`?".toCharArray()) {
            ENCODE[c] = true;
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;
    private final Set<String> indexDocuments;
    private final boolean directoryWithoutSlash;

    /**
     * @param urlPrefix the unencoded path the site is served under, {@code null} for "/"
     * @param indexDocuments file names a directory URL serves ({@code null}: index.html; empty: none)
     * @param directoryWithoutSlash whether {@code /a/b} serves {@code a/b/index.html} too (not only {@code /a/b/})
     */
    public UrlMapper(String urlPrefix, List<String> indexDocuments, boolean directoryWithoutSlash) {
        this.prefix = encodePrefix(urlPrefix);
        this.indexDocuments = new LinkedHashSet<>(indexDocuments == null ? List.of("index.html") : indexDocuments);
        for (String name : this.indexDocuments) {
            if (name == null || name.isEmpty() || name.contains("/")) {
                throw new DeployException("index document " + shown(name)
                        + " is not a file name: give names such as index.html, without '/'");
            }
        }
        this.directoryWithoutSlash = directoryWithoutSlash;
    }

    /** The encoded URL prefix, starting and ending with '/'. */
    String prefix() {
        return prefix;
    }

    /**
     * The distinct invalidation paths of the URLs serving the file or link at {@code relativePath} ('/'-separated,
     * no leading slash): the file's own URL and, for an index document, its directory's.
     */
    public List<InvalidationPath> urls(String relativePath) {
        Set<InvalidationPath> paths = new LinkedHashSet<>();
        for (String url : exactUrls(relativePath)) {
            paths.add(toPath(url));
        }
        return List.copyOf(paths);
    }

    /**
     * The encoded URLs serving {@code relativePath}, as cache keys: unlike {@link #urls} they may hold a '~', end with
     * a literal '*' or be longer than CloudFront accepts. The planner counts collateral against these, and the edge
     * verification fetches them.
     */
    public List<String> exactUrls(String relativePath) {
        if (relativePath == null
                || relativePath.isEmpty()
                || relativePath.startsWith("/")
                || relativePath.endsWith("/")) {
            throw new IllegalArgumentException("not a relative file path: " + relativePath);
        }
        String encoded = encode(relativePath);
        List<String> urls = new ArrayList<>(3);
        urls.add(prefix + encoded);
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        if (indexDocuments.contains(name)) {
            // '/' is never encoded and nothing encodes to it, so the last '/' of both strings is the same one.
            String directory = encoded.substring(0, encoded.lastIndexOf('/') + 1);
            urls.add(prefix + directory);
            if (directoryWithoutSlash && !directory.isEmpty()) {
                urls.add(prefix + directory.substring(0, directory.length() - 1));
            }
        }
        return urls;
    }

    /**
     * The path that invalidates the encoded URL {@code url}. CloudFront cannot invalidate a path holding '~' (raw it
     * is rejected, %7E matches nothing), so such a URL is cleared by a wildcard on what precedes the first '~'; a
     * lone surrogate (a name that is not valid Unicode) has no known encoding and is treated alike. A path over
     * 4,000 characters becomes the wildcard of its first 3,999, cut before a %XX escape rather than inside it.
     */
    static InvalidationPath toPath(String url) {
        String path = url;
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '~' || Character.isSurrogate(c)) {
                path = url.substring(0, i) + "*";
                break;
            }
        }
        if (path.length() > InvalidationPath.MAX_LENGTH) {
            int end = InvalidationPath.MAX_LENGTH - 1;
            // Every '%' starts an escape (a raw '%' is itself encoded), so only these two positions can split one.
            if (path.charAt(end - 1) == '%') {
                end -= 1;
            } else if (path.charAt(end - 2) == '%') {
                end -= 2;
            }
            path = path.substring(0, end) + "*";
        }
        return InvalidationPath.of(path);
    }

    /**
     * Percent-encodes (upper-case hex) non-ASCII characters as their UTF-8 bytes, control characters, RFC 1738's
     * unsafe characters and '?', and nothing else: CloudFront keys its cache on that form, and an invalidation
     * encoded any other way ('/', '&', '+', '(', '*' …) silently misses. '~' and lone surrogates stay raw for
     * {@link #toPath} to deal with.
     */
    static String encode(String raw) {
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean plain = c < 0x80 ? !ENCODE[c] : Character.isSurrogate(c) && !isPair(raw, i);
            if (plain) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
            }
            if (c < 0x80) {
                escape(out, c);
            } else {
                int cp = raw.codePointAt(i);
                if (Character.isSupplementaryCodePoint(cp)) {
                    i++;
                }
                utf8(out, cp);
            }
        }
        return out == null ? raw : out.toString();
    }

    private static boolean isPair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i))
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static void utf8(StringBuilder out, int cp) {
        if (cp < 0x800) {
            escape(out, 0xC0 | cp >> 6);
            escape(out, 0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            escape(out, 0xE0 | cp >> 12);
            escape(out, 0x80 | cp >> 6 & 0x3F);
            escape(out, 0x80 | cp & 0x3F);
        } else {
            escape(out, 0xF0 | cp >> 18);
            escape(out, 0x80 | cp >> 12 & 0x3F);
            escape(out, 0x80 | cp >> 6 & 0x3F);
            escape(out, 0x80 | cp & 0x3F);
        }
    }

    private static void escape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
    }

    private static String encodePrefix(String urlPrefix) {
        if (urlPrefix == null || urlPrefix.isEmpty()) {
            return "/";
        }
        for (char c : urlPrefix.toCharArray()) {
            if (c < 0x20 || c == 0x7F || "*~?#".indexOf(c) >= 0) {
                throw new DeployException("URL prefix " + shown(urlPrefix) + " contains " + shown(String.valueOf(c))
                        + ", which an invalidation path cannot carry there: give the plain folder the site is "
                        + "served under, such as /static");
            }
        }
        if (!urlPrefix.startsWith("/")) {
            throw new DeployException("URL prefix " + shown(urlPrefix) + " must start with '/': use "
                    + shown("/" + urlPrefix));
        }
        if (urlPrefix.contains("//")) {
            throw new DeployException("URL prefix " + shown(urlPrefix) + " contains \"//\": use single slashes, "
                    + "such as " + shown(urlPrefix.replaceAll("/{2,}", "/")));
        }
        for (String segment : urlPrefix.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new DeployException("URL prefix " + shown(urlPrefix) + " contains a '" + segment
                        + "' segment, which browsers resolve away: give the resolved path, such as /static");
            }
        }
        String encoded = encode(urlPrefix.endsWith("/") ? urlPrefix : urlPrefix + "/");
        if (encoded.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
            throw new DeployException("URL prefix " + shown(urlPrefix) + " is not valid Unicode (a lone surrogate "
                    + "character): give the folder name as the site's URLs spell it");
        }
        if (encoded.length() > MAX_PREFIX) {
            throw new DeployException("URL prefix " + shown(urlPrefix.substring(0, 40) + "…") + " is "
                    + encoded.length() + " characters once encoded: CloudFront paths hold 4,000, so keep it under "
                    + MAX_PREFIX);
        }
        return encoded;
    }

    /** The value quoted, control characters shown as escapes so the message stays on one line. */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
