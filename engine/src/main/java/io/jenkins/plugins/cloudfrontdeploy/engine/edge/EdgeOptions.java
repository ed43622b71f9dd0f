package io.jenkins.plugins.cloudfrontdeploy.engine.edge;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Whether and how a deploy checks what the edge serves once its invalidations completed. Off unless a base URL is
 * given.
 *
 * @param base the site's address as users reach it ({@code https://www.example.com}), or {@code null}: no check
 * @param sample how many unchanged files are fetched besides every changed one
 * @param timeout how long URLs that do not serve the build yet are fetched again before they are declared stale
 * @param failOnStale whether a stale or missing URL fails the deploy (otherwise it is reported and warned about)
 * @param firstRetry the first wait before fetching again; it doubles each round up to {@code maxRetry}
 * @param pacer the clock and the waits ({@link Pacer#SYSTEM})
 */
public record EdgeOptions(URI base, int sample, Duration timeout, boolean failOnStale, Duration firstRetry,
        Duration maxRetry, Pacer pacer) implements Serializable {
    public static final int DEFAULT_SAMPLE = 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    public static final Duration MAX_RETRY = Duration.ofSeconds(20);
    public static final EdgeOptions NONE =
            new EdgeOptions(null, DEFAULT_SAMPLE, DEFAULT_TIMEOUT, false, FIRST_RETRY, MAX_RETRY, Pacer.SYSTEM);

    public EdgeOptions {
        pacer = pacer != null ? pacer : Pacer.SYSTEM;
    }

    /** Checks at {@code base} with the defaults. */
    public static EdgeOptions at(URI base) {
        return new EdgeOptions(base, DEFAULT_SAMPLE, DEFAULT_TIMEOUT, false, FIRST_RETRY, MAX_RETRY, Pacer.SYSTEM);
    }

    public boolean enabled() {
        return base != null;
    }

    public EdgeOptions withSample(int n, Vocabulary words) {
        if (n < 0) {
            throw new DeployException(words.given(Vocabulary.Setting.VERIFY_SAMPLE, n) + " is not valid: give how"
                    + " many unchanged URLs to fetch besides the changed ones, 0 or more (default " + DEFAULT_SAMPLE
                    + ")");
        }
        return new EdgeOptions(base, n, timeout, failOnStale, firstRetry, maxRetry, pacer);
    }

    public EdgeOptions withTimeout(Duration d, Vocabulary words) {
        if (d.isNegative()) {
            throw new DeployException(words.given(Vocabulary.Setting.VERIFY_TIMEOUT, d.toSeconds() + "s")
                    + " is not valid: give a duration of 0 or more, such as 2m or 90s");
        }
        return new EdgeOptions(base, sample, d, failOnStale, firstRetry, maxRetry, pacer);
    }

    public EdgeOptions withFailOnStale(boolean fail) {
        return new EdgeOptions(base, sample, timeout, fail, firstRetry, maxRetry, pacer);
    }

    /** The back-off: first wait, longest wait, and the clock that measures the timeout. */
    public EdgeOptions withPacing(Duration first, Duration max, Pacer p) {
        return new EdgeOptions(base, sample, timeout, failOnStale, first, max, p);
    }

    /**
     * The base URL as given: {@code http} or {@code https}, a host, no query or fragment; a path is kept (a site served
     * below one) without its trailing '/'.
     */
    public static URI parseBase(String text, Vocabulary words) {
        String fix = " is not valid: give the address users load the site from, such as https://www.example.com";
        String value = text == null ? "" : text.trim();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new DeployException(words.given(Vocabulary.Setting.VERIFY_URL, shown(value)) + fix);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new DeployException(words.given(Vocabulary.Setting.VERIFY_URL, shown(value)) + fix);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /**
     * A duration as a user writes it: a number with {@code s}, {@code m} or {@code h} ({@code 90s}, {@code 2m}), or
     * ISO-8601 ({@code PT2M}).
     */
    public static Duration parseDuration(String text, Vocabulary.Setting setting, Vocabulary words) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.matches("\\d{1,9}[smh]")) {
                long n = Long.parseLong(value.substring(0, value.length() - 1));
                return switch (value.charAt(value.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            if (value.startsWith("pt")) {
                Duration d = Duration.parse(value.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw new DeployException(words.given(setting, shown(text)) + " is not a duration: give a number with s, m"
                + " or h, such as 90s or 2m");
    }

    private static String shown(String s) {
        return String.valueOf(s).replaceAll("\\p{Cntrl}", "?"); // the vocabulary quotes it as its front end does
    }
}
