package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the directory wildcards of an {@link PlanMode#AUTO} plan: a dynamic programme over the tree of URL
 * directories, with a knapsack on the number of wildcards in each subtree.
 *
 * <p>For each directory D and each wildcard count w, it keeps the fewest billed paths (then the least collateral)
 * with which D's subtree can be invalidated using w wildcards: either D collapses into {@code D*} (one path, one
 * wildcard, allowed when the unchanged URLs under D are at most {@code maxCollateral} of all its URLs), or D keeps
 * its own paths and combines its children's tables. Forced wildcards sit in the directory of their prefix and vanish
 * when a directory above them collapses. Index j of a table stands for (fewest wildcards the subtree can do with) + j,
 * and j stops at E, what the cap leaves above the fewest the whole tree can do with (0 when forced wildcards alone
 * pass the cap, which then rises to that fewest): no feasible plan lies outside, so a merge costs at most (E + 1)²
 * and a run O(directories × 16²).
 */
final class WildcardChooser {
    private static final long INF = Long.MAX_VALUE / 4;

    private static final class Node {
        final String dir;
        final List<Node> children = new ArrayList<>();
        final List<String> exact = new ArrayList<>();
        final List<String> forced = new ArrayList<>();
        long changed;
        long unchanged;
        boolean collapsible;
        /** Fewest wildcards without collapsing this node, and overall: index 0 of the tables. */
        int keptBase;
        int base;
        long[] billed;
        long[] collateral;
        boolean[] collapsed;
        /** For each index of the parent's table after merging this child, the child's index it came from. */
        int[] pick;

        Node(String dir) {
            this.dir = dir;
        }
    }

    private final String root;
    private final Map<String, Node> nodes = new HashMap<>();
    /** Directories holding no changed URL, to the node that counts their URLs. */
    private final Map<String, Node> nearestAbove = new HashMap<>();

    private WildcardChooser(String root) {
        this.root = root;
        nodes.put(root, new Node(root));
    }

    /**
     * @param root the URL prefix, ending with '/': every URL starts with it
     * @param exact changed URLs that need a path of their own (none covered by {@code forced})
     * @param forced prefixes of the wildcards CloudFront forces ('~', trailing '*', length)
     * @param changedUrls every URL to invalidate, for the size of each directory
     * @param unchangedUrls URLs still served and not changed, none of them in {@code changedUrls}
     * @return the paths of the plan, unsorted
     */
    static List<InvalidationPath> choose(
            String root,
            Collection<String> exact,
            Prefixes forced,
            Collection<String> changedUrls,
            Collection<String> unchangedUrls,
            BigDecimal maxCollateral,
            int maxWildcards) {
        if (exact.isEmpty() && forced.size() == 0) {
            return List.of();
        }
        return new WildcardChooser(root).run(exact, forced, changedUrls, unchangedUrls, maxCollateral, maxWildcards);
    }

    private List<InvalidationPath> run(
            Collection<String> exact,
            Prefixes forced,
            Collection<String> changedUrls,
            Collection<String> unchangedUrls,
            BigDecimal maxCollateral,
            int maxWildcards) {
        for (String url : exact) {
            node(dirOf(url)).exact.add(url);
        }
        for (String prefix : forced.sorted()) {
            node(dirOf(prefix)).forced.add(prefix);
        }
        for (String url : changedUrls) {
            nearest(dirOf(url)).changed++;
        }
        for (String url : unchangedUrls) {
            nearest(dirOf(url)).unchanged++;
        }

        // Children before parents: a child's directory is strictly longer.
        Node[] order = nodes.values().toArray(new Node[0]);
        Arrays.sort(order, Comparator.comparingInt((Node n) -> -n.dir.length()).thenComparing(n -> n.dir));
        for (Node n : order) {
            n.children.sort(Comparator.comparing(c -> c.dir));
            for (Node c : n.children) {
                n.changed += c.changed;
                n.unchanged += c.unchanged;
            }
            // Every unchanged URL under D counts, even one a forced wildcard clears anyway: the budget is never passed.
            n.collapsible = maxCollateral
                            .multiply(BigDecimal.valueOf(n.changed + n.unchanged))
                            .compareTo(BigDecimal.valueOf(n.unchanged))
                    >= 0;
            n.keptBase = n.forced.size() + n.children.stream().mapToInt(c -> c.base).sum();
            n.base = n.collapsible ? Math.min(1, n.keptBase) : n.keptBase;
        }

        Node top = nodes.get(root);
        // When the forced wildcards alone need more than the cap, the plan may use that many and no more.
        int slack = Math.max(maxWildcards, top.base) - top.base;
        for (Node n : order) {
            table(n, slack);
        }
        int best = 0;
        for (int j = 1; j <= slack; j++) {
            if (less(top.billed[j], top.collateral[j], top.billed[best], top.collateral[best])) {
                best = j;
            }
        }
        return paths(top, best);
    }

    private static void table(Node n, int slack) {
        long[] billed = infinite(slack);
        long[] collateral = new long[slack + 1];
        billed[0] = n.exact.size() + n.forced.size();
        for (Node c : n.children) {
            long[] b = infinite(slack);
            long[] k = new long[slack + 1];
            int[] pick = new int[slack + 1];
            for (int j1 = 0; j1 <= slack; j1++) {
                if (billed[j1] >= INF) {
                    continue;
                }
                for (int j2 = 0; j1 + j2 <= slack; j2++) {
                    if (c.billed[j2] >= INF) {
                        continue;
                    }
                    long bb = billed[j1] + c.billed[j2];
                    long kk = collateral[j1] + c.collateral[j2];
                    if (less(bb, kk, b[j1 + j2], k[j1 + j2])) {
                        b[j1 + j2] = bb;
                        k[j1 + j2] = kk;
                        pick[j1 + j2] = j2;
                    }
                }
            }
            c.pick = pick;
            billed = b;
            collateral = k;
        }
        n.billed = infinite(slack);
        n.collateral = new long[slack + 1];
        n.collapsed = new boolean[slack + 1];
        for (int j = 0; j <= slack; j++) {
            int kept = n.base + j - n.keptBase;
            if (kept >= 0 && kept <= slack) {
                n.billed[j] = billed[kept];
                n.collateral[j] = collateral[kept];
            }
        }
        int one = 1 - n.base;
        if (n.collapsible && one <= slack && less(1, n.unchanged, n.billed[one], n.collateral[one])) {
            n.billed[one] = 1;
            n.collateral[one] = n.unchanged;
            n.collapsed[one] = true;
        }
    }

    private List<InvalidationPath> paths(Node top, int index) {
        List<InvalidationPath> out = new ArrayList<>();
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {top, index});
        while (!todo.isEmpty()) {
            Object[] item = todo.pop();
            Node n = (Node) item[0];
            int j = (Integer) item[1];
            if (n.collapsed[j]) {
                out.add(InvalidationPath.of(n.dir + "*"));
                continue;
            }
            int kept = n.base + j - n.keptBase;
            for (int i = n.children.size() - 1; i >= 0; i--) {
                Node c = n.children.get(i);
                int fromChild = c.pick[kept];
                todo.push(new Object[] {c, fromChild});
                kept -= fromChild;
            }
            for (String url : n.exact) {
                out.add(InvalidationPath.of(url));
            }
            for (String prefix : n.forced) {
                out.add(InvalidationPath.of(prefix + "*"));
            }
        }
        return out;
    }

    private static boolean less(long billed, long collateral, long thanBilled, long thanCollateral) {
        return billed < thanBilled || billed == thanBilled && collateral < thanCollateral;
    }

    private static long[] infinite(int slack) {
        long[] a = new long[slack + 1];
        Arrays.fill(a, INF);
        return a;
    }

    /** The node of {@code dir}, created with its missing ancestors. */
    private Node node(String dir) {
        Node found = nodes.get(dir);
        if (found != null) {
            return found;
        }
        Node created = new Node(dir);
        nodes.put(dir, created);
        Node child = created;
        String d = dir;
        while (true) {
            d = parentOf(d);
            Node parent = nodes.get(d);
            boolean existed = parent != null;
            if (!existed) {
                parent = new Node(d);
                nodes.put(d, parent);
            }
            parent.children.add(child);
            if (existed) {
                return created;
            }
            child = parent;
        }
    }

    /** The deepest existing node at or above {@code dir}; the root always exists. */
    private Node nearest(String dir) {
        Node n = nodes.get(dir);
        if (n != null) {
            return n;
        }
        n = nearestAbove.get(dir);
        if (n != null) {
            return n;
        }
        // Remember every directory passed on the way up, so each is walked once whatever the number of URLs.
        List<String> passed = new ArrayList<>();
        String d = dir;
        while (n == null) {
            passed.add(d);
            d = parentOf(d);
            n = nodes.get(d);
            if (n == null) {
                n = nearestAbove.get(d);
            }
        }
        for (String p : passed) {
            nearestAbove.put(p, n);
        }
        return n;
    }

    /** The URL directory an encoded URL or prefix belongs to: up to its last '/' ("/a/" for "/a/", "/" for "/a"). */
    static String dirOf(String url) {
        return url.substring(0, url.lastIndexOf('/') + 1);
    }

    private String parentOf(String dir) {
        if (dir.length() <= root.length()) {
            throw new IllegalStateException(dir + " is not below " + root);
        }
        return dir.substring(0, dir.lastIndexOf('/', dir.length() - 2) + 1);
    }
}
