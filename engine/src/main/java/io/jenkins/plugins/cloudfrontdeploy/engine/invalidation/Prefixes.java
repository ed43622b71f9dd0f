package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A set of wildcard prefixes none of which starts with another, so that in sorted order the URLs each one covers
 * form disjoint ranges: coverage is a floor lookup and counting is two binary searches per prefix.
 */
final class Prefixes {
    private final NavigableSet<String> sorted;

    private Prefixes(NavigableSet<String> sorted) {
        this.sorted = sorted;
    }

    /** The given prefixes without those another one already covers. */
    static Prefixes of(Collection<String> prefixes) {
        TreeSet<String> all = new TreeSet<>(prefixes);
        TreeSet<String> kept = new TreeSet<>();
        String last = null;
        for (String p : all) {
            // Strings starting with `last` follow it contiguously, so `last` is the only kept one p can start with.
            if (last == null || !p.startsWith(last)) {
                kept.add(p);
                last = p;
            }
        }
        return new Prefixes(kept);
    }

    /** Prefixes of the wildcard paths among {@code paths}. */
    static Prefixes ofWildcards(Collection<InvalidationPath> paths) {
        List<String> prefixes = new ArrayList<>();
        for (InvalidationPath p : paths) {
            if (p.wildcard()) {
                prefixes.add(p.prefix());
            }
        }
        return of(prefixes);
    }

    NavigableSet<String> sorted() {
        return sorted;
    }

    int size() {
        return sorted.size();
    }

    boolean covers(String url) {
        String floor = sorted.floor(url);
        return floor != null && url.startsWith(floor);
    }

    /** How many of {@code sortedUrls} (sorted, distinct) some prefix covers. */
    long countCovered(String[] sortedUrls) {
        long count = 0;
        for (String p : sorted) {
            int from = lowerBound(sortedUrls, p);
            count += firstNotStartingWith(sortedUrls, from, p) - from;
        }
        return count;
    }

    private static int lowerBound(String[] a, String key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid].compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int firstNotStartingWith(String[] a, int from, String prefix) {
        int lo = from;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid].startsWith(prefix)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
