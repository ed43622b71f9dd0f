package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

public class InvalidationPlannerTest {
    private static final UrlMapper ROOT = new UrlMapper("/", null, false);

    private static InvalidationPlan plan(
            UrlMapper urls, PlanMode mode, double maxCollateral, List<String> changed, List<String> unchanged) {
        return new InvalidationPlanner(urls, mode, maxCollateral, 15, Pricing.DEFAULT, 0).plan(changed, unchanged);
    }

    private static List<String> paths(InvalidationPlan plan) {
        return plan.paths().stream().map(InvalidationPath::path).toList();
    }

    // ---- hand examples ----

    @Test
    public void fullyChangedDirectoryCollapses() {
        InvalidationPlan p = plan(
                ROOT, PlanMode.AUTO, 0, List.of("docs/a.html", "docs/b.html", "docs/c.html"), List.of("index.html"));
        assertEquals(List.of("/docs/*"), paths(p));
        assertEquals(PlanMode.AUTO, p.mode());
        assertEquals(1, p.billedPaths());
        assertEquals(1, p.wildcards());
        assertEquals(3, p.urlsToInvalidate());
        assertEquals(new Estimate(3, 0, 0, BigDecimal.ZERO.setScale(3)), p.estimates().get(PlanMode.FILES));
        assertEquals(1, p.estimates().get(PlanMode.AUTO).billedPaths());
        assertEquals(0, p.estimates().get(PlanMode.AUTO).collateralFiles());
        // "/*" would clear the unchanged "/index.html" and "/".
        assertEquals(2, p.estimates().get(PlanMode.ALL).collateralFiles());
    }

    @Test
    public void oneUnchangedFileBlocksACollapseOnlyWithinBudget() {
        List<String> changed = List.of("docs/a.html", "docs/b.html", "docs/c.html");
        List<String> unchanged = List.of("docs/d.html", "about.html", "contact.html");
        assertEquals(
                List.of("/docs/a.html", "/docs/b.html", "/docs/c.html"),
                paths(plan(ROOT, PlanMode.AUTO, 0, changed, unchanged)));
        // 1 unchanged of 4 URLs is within 0.5 (and 0.25); the root (3 of 6) would clear more for the same price.
        InvalidationPlan half = plan(ROOT, PlanMode.AUTO, 0.5, changed, unchanged);
        assertEquals(List.of("/docs/*"), paths(half));
        assertEquals(1, half.estimates().get(PlanMode.AUTO).collateralFiles());
        assertEquals(List.of("/docs/*"), paths(plan(ROOT, PlanMode.AUTO, 0.25, changed, unchanged)));
        assertEquals(3, paths(plan(ROOT, PlanMode.AUTO, 0.24, changed, unchanged)).size());
    }

    @Test
    public void rootCollapses() {
        List<String> changed = List.of("index.html", "a.html", "docs/x.html", "docs/y.html");
        InvalidationPlan p = plan(ROOT, PlanMode.AUTO, 0, changed, List.of());
        assertEquals(List.of("/*"), paths(p));
        assertEquals(5, p.estimates().get(PlanMode.FILES).billedPaths());
        InvalidationPlan prefixed = plan(new UrlMapper("/static", null, false), PlanMode.AUTO, 0, changed, List.of());
        assertEquals(List.of("/static/*"), paths(prefixed));
    }

    @Test
    public void allIsOneWildcardClearingEveryUnchangedUrl() {
        InvalidationPlan p =
                plan(ROOT, PlanMode.ALL, 0, List.of("a.html"), List.of("index.html", "b.html", "d/index.html"));
        assertEquals(List.of("/*"), paths(p));
        assertEquals(PlanMode.ALL, p.mode());
        // /index.html, /, /b.html, /d/index.html, /d/
        assertEquals(new Estimate(1, 1, 5, new BigDecimal("0.000")), p.estimates().get(PlanMode.ALL));
        assertEquals(List.of("/static/*"), paths(plan(
                new UrlMapper("/static/", null, false), PlanMode.ALL, 0, List.of("a.html"), List.of())));
    }

    @Test
    public void filesListsEveryUrl() {
        InvalidationPlan p = plan(ROOT, PlanMode.FILES, 1, List.of("d/a.html", "d/b.html", "d/index.html"), List.of());
        assertEquals(List.of("/d/", "/d/a.html", "/d/b.html", "/d/index.html"), paths(p));
        assertEquals(0, p.wildcards());
        assertEquals(1, p.estimates().get(PlanMode.AUTO).billedPaths());
    }

    @Test
    public void wildcardCapKeepsTheDirectoriesThatSaveMost() {
        // 40 fully changed directories of 2..41 files; an unchanged root file keeps "/*" out.
        List<String> changed = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            for (int f = 0; f < d + 2; f++) {
                changed.add(String.format("d%02d/f%02d.html", d, f));
            }
        }
        InvalidationPlan p = plan(ROOT, PlanMode.AUTO, 0, changed, List.of("keep.html"));
        assertEquals(15, p.wildcards());
        Set<String> wildcards = new TreeSet<>();
        p.paths().stream().filter(InvalidationPath::wildcard).forEach(w -> wildcards.add(w.path()));
        Set<String> expected = new TreeSet<>();
        for (int d = 25; d < 40; d++) {
            expected.add(String.format("/d%02d/*", d));
        }
        assertEquals(expected, wildcards);
        // 15 wildcards + the files of d00..d24 (2 + … + 26 = 350).
        assertEquals(365, p.billedPaths());

        InvalidationPlan three = new InvalidationPlanner(ROOT, PlanMode.AUTO, 0, 3, Pricing.DEFAULT, 0)
                .plan(changed, List.of("keep.html"));
        assertEquals(3, three.wildcards());
        assertTrue(paths(three).containsAll(List.of("/d37/*", "/d38/*", "/d39/*")));
        InvalidationPlan none = new InvalidationPlanner(ROOT, PlanMode.AUTO, 0, 0, Pricing.DEFAULT, 0)
                .plan(changed, List.of("keep.html"));
        assertEquals(0, none.wildcards());
        assertEquals(changed.size(), none.billedPaths());
    }

    @Test
    public void forcedWildcardsCoverTheirNeighbours() {
        List<String> changed = List.of("docs/a~b.html", "docs/about.html", "docs/x.html");
        InvalidationPlan auto = plan(ROOT, PlanMode.AUTO, 0, changed, List.of("docs/z.html"));
        assertEquals(List.of("/docs/a*", "/docs/x.html"), paths(auto));
        InvalidationPlan files = plan(ROOT, PlanMode.FILES, 0, changed, List.of("docs/z.html"));
        assertEquals(List.of("/docs/a*", "/docs/about.html", "/docs/x.html"), paths(files));
        assertEquals(1, files.wildcards());
        // The forced wildcard also clears an unchanged neighbour whatever the mode.
        InvalidationPlan unlucky = plan(ROOT, PlanMode.FILES, 0, List.of("docs/a~b.html"), List.of("docs/and.html"));
        assertEquals(1, unlucky.estimates().get(PlanMode.FILES).collateralFiles());
    }

    @Test
    public void forcedWildcardsBeyondTheCapAddNoMore() {
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            changed.add("d" + d + "/x~" + d);
            unchanged.add("d" + d + "/keep.html");
        }
        for (int f = 0; f < 30; f++) {
            changed.add("full/f" + f);
        }
        InvalidationPlan p = plan(ROOT, PlanMode.AUTO, 0, changed, unchanged);
        assertEquals(20, p.wildcards());
        assertEquals(50, p.billedPaths());
        // The same forced wildcards in one fully changed directory fold into one.
        List<String> together = new ArrayList<>();
        for (int f = 0; f < 20; f++) {
            together.add("t/" + f + "~");
        }
        assertEquals(List.of("/t/*"), paths(plan(ROOT, PlanMode.AUTO, 0, together, List.of("keep.html"))));
    }

    @Test
    public void directoryWithoutSlashBelongsToTheParent() {
        UrlMapper noSlash = new UrlMapper("/", null, true);
        InvalidationPlan p =
                plan(noSlash, PlanMode.AUTO, 0, List.of("docs/index.html", "docs/a.html"), List.of("x.html"));
        assertEquals(List.of("/docs", "/docs/*"), paths(p));
        assertEquals(4, p.estimates().get(PlanMode.FILES).billedPaths());
    }

    @Test
    public void nothingToInvalidateIsAnEmptyPlanInEveryMode() {
        for (PlanMode mode : PlanMode.values()) {
            InvalidationPlan p = plan(ROOT, mode, 1, List.of(), List.of("a.html", "index.html"));
            assertTrue(mode.toString(), p.isEmpty());
            assertEquals(0, p.billedPaths());
            assertEquals(0, p.urlsToInvalidate());
            for (PlanMode m : PlanMode.values()) {
                assertEquals(new Estimate(0, 0, 0, BigDecimal.ZERO.setScale(3)), p.estimates().get(m));
            }
        }
    }

    @Test
    public void urlServedByBothListsIsChanged() {
        // Two index documents of one directory: "/d/" changed with index.html although index.htm did not.
        UrlMapper two = new UrlMapper("/", List.of("index.html", "index.htm"), false);
        InvalidationPlan p = plan(two, PlanMode.FILES, 0, List.of("d/index.html"), List.of("d/index.htm"));
        assertEquals(List.of("/d/", "/d/index.html"), paths(p));
        assertEquals(2, p.urlsToInvalidate());
        // With "/d/" changed, only /d/index.htm is unchanged under /d/: 1 of 3.
        assertEquals(List.of("/d/*"), paths(plan(two, PlanMode.AUTO, 0.34, List.of("d/index.html"), List.of(
                "d/index.htm"))));
    }

    @Test
    public void costUsesWhatIsLeftOfTheFreeTier() {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            changed.add("d/f" + i);
        }
        InvalidationPlan p = new InvalidationPlanner(ROOT, PlanMode.FILES, 0, 15, Pricing.DEFAULT, 990)
                .plan(changed, List.of("keep"));
        assertEquals(0, new BigDecimal("0.100").compareTo(p.estimates().get(PlanMode.FILES).cost()));
        // "/d/*" alone fits in the 10 free paths left.
        assertEquals(0, BigDecimal.ZERO.compareTo(p.estimates().get(PlanMode.AUTO).cost()));
    }

    @Test
    public void pricing() {
        assertEquals(new BigDecimal("0.005"), Pricing.DEFAULT.pricePerPath());
        assertEquals(1000, Pricing.DEFAULT.freePathsPerMonth());
        assertEquals(0, new BigDecimal("2.5").compareTo(Pricing.DEFAULT.cost(1500, 0)));
        assertEquals(0, new BigDecimal("0.025").compareTo(Pricing.DEFAULT.cost(10, 995)));
        assertEquals(0, new BigDecimal("0.05").compareTo(Pricing.DEFAULT.cost(10, 5000)));
        assertEquals(0, BigDecimal.ZERO.compareTo(Pricing.DEFAULT.cost(1000, 0)));
        assertThrows(DeployException.class, () -> new Pricing(new BigDecimal("-1"), 0));
        assertThrows(DeployException.class, () -> new Pricing(BigDecimal.ONE, -1));
    }

    @Test
    public void planModeParsing() {
        assertEquals(PlanMode.FILES, PlanMode.parse("files"));
        assertEquals(PlanMode.AUTO, PlanMode.parse("AUTO"));
        assertEquals(PlanMode.ALL, PlanMode.parse(" All "));
        DeployException e = assertThrows(DeployException.class, () -> PlanMode.parse("some"));
        assertTrue(e.getMessage(), e.getMessage().contains("\"some\"") && e.getMessage().contains("files, auto, all"));
        assertThrows(DeployException.class, () -> PlanMode.parse(null));
    }

    @Test
    public void badSettingsAreRejected() {
        for (double bad : new double[] {-0.1, 1.01, Double.NaN}) {
            DeployException e = assertThrows(DeployException.class,
                    () -> new InvalidationPlanner(ROOT, PlanMode.AUTO, bad, 15, Pricing.DEFAULT, 0));
            assertTrue(e.getMessage(), e.getMessage().contains("--max-collateral " + bad));
        }
        assertThrows(DeployException.class, () -> new InvalidationPlanner(ROOT, PlanMode.AUTO, 0, 16, Pricing.DEFAULT,
                0));
        assertThrows(DeployException.class, () -> new InvalidationPlanner(ROOT, PlanMode.AUTO, 0, -1, Pricing.DEFAULT,
                0));
        assertThrows(DeployException.class, () -> new InvalidationPlanner(ROOT, PlanMode.AUTO, 0, 15, Pricing.DEFAULT,
                -1));
    }

    @Test
    public void aSiteOfFiftyThousandPathsGetsTheFifteenMostUsefulWildcards() {
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Random random = new Random(50_000);
        for (int a = 0; a < 50; a++) {
            for (int b = 0; b < 20; b++) {
                boolean full = random.nextInt(3) == 0;
                for (int f = 0; f < 50; f++) {
                    String path = "s" + a + "/t" + b + "/file " + f + (f == 0 ? "/index.html" : ".html");
                    (full || random.nextInt(4) == 0 ? changed : unchanged).add(path);
                }
            }
        }
        UrlMapper urls = new UrlMapper("/", null, true);
        InvalidationPlanner planner = new InvalidationPlanner(urls, PlanMode.AUTO, 0.1, 15, Pricing.DEFAULT, 0);
        // speed is a benchmark's business, not a test's: here only the outcome at this size is checked
        InvalidationPlan p = planner.plan(changed, unchanged);
        assertEquals(15, p.wildcards());
        assertTrue(p.billedPaths() < p.estimates().get(PlanMode.FILES).billedPaths());
    }

    // ---- properties on random trees ----

    /** A file of a random site: its raw relative path and the URLs this test expects for it. */
    private record SiteFile(String path, List<String> urls) {}

    /** Name pieces with their encodings, written out by hand so the test does not trust the encoder it checks. */
    private static final String[][] PIECES = {
        {"a", "a"}, {"b", "b"}, {"Z", "Z"}, {"7", "7"}, {".", "."}, {"-", "-"}, {" ", "%20"}, {"ü", "%C3%BC"},
        {"#", "%23"}, {"%", "%25"}, {"?", "%3F"}, {"&", "&"}, {"+", "+"}, {"(", "("}, {"~", "~"}, {"*", "*"},
        {"\uD83D\uDE00", "%F0%9F%98%80"}, {"\n", "%0A"}, {"=", "="}
    };

    private static final class Site {
        final String prefix;
        final Set<String> indexDocuments;
        final boolean noSlash;
        final List<SiteFile> changed = new ArrayList<>();
        final List<SiteFile> unchanged = new ArrayList<>();

        Site(Random random) {
            prefix = random.nextBoolean() ? "/" : "/site/";
            indexDocuments = random.nextBoolean() ? Set.of("index.html") : Set.of("index.html", "index.htm");
            noSlash = random.nextBoolean();
        }

        UrlMapper mapper() {
            return new UrlMapper(prefix, List.copyOf(new TreeSet<>(indexDocuments)), noSlash);
        }
    }

    private static String[] name(Random random, boolean hostile) {
        while (true) {
            StringBuilder raw = new StringBuilder();
            StringBuilder enc = new StringBuilder();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                String[] piece = PIECES[random.nextInt(hostile ? PIECES.length : 6)];
                raw.append(piece[0]);
                enc.append(piece[1]);
            }
            if (!raw.toString().equals(".") && !raw.toString().equals("..")) {
                return new String[] {raw.toString(), enc.toString()};
            }
        }
    }

    private static void fill(
            Site site, Random random, String raw, String enc, int depth, double pChanged, boolean hostile) {
        boolean allChanged = random.nextInt(3) == 0;
        Set<String> names = new HashSet<>();
        int files = 1 + random.nextInt(4);
        List<String[]> fileNames = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            fileNames.add(new String[] {"index.html", "index.html"});
        }
        if (random.nextInt(6) == 0) {
            fileNames.add(new String[] {"index.htm", "index.htm"});
        }
        for (int i = 0; i < files; i++) {
            fileNames.add(name(random, hostile));
        }
        for (String[] f : fileNames) {
            if (!names.add(f[0])) {
                continue;
            }
            List<String> urls = new ArrayList<>();
            urls.add(site.prefix + enc + f[1]);
            if (site.indexDocuments.contains(f[0])) {
                urls.add(site.prefix + enc);
                if (site.noSlash && !enc.isEmpty()) {
                    urls.add(site.prefix + enc.substring(0, enc.length() - 1));
                }
            }
            SiteFile file = new SiteFile(raw + f[0], urls);
            double roll = random.nextDouble();
            if (allChanged || roll < pChanged) {
                site.changed.add(file);
            } else if (roll < pChanged + (1 - pChanged) * 0.8) {
                site.unchanged.add(file);
            } // else: added and not to be invalidated, in neither list
        }
        if (depth < 4) {
            int dirs = random.nextInt(depth == 0 ? 4 : 3);
            for (int i = 0; i < dirs; i++) {
                String[] d = name(random, hostile);
                if (names.add(d[0])) {
                    fill(site, random, raw + d[0] + "/", enc + d[1] + "/", depth + 1, pChanged, hostile);
                }
            }
        }
    }

    private static boolean covers(InvalidationPath path, String url) {
        String p = path.path();
        return p.endsWith("*") ? url.startsWith(p.substring(0, p.length() - 1)) : url.equals(p);
    }

    /** The prefix CloudFront cannot do without for {@code url}, or null when it can be invalidated exactly. */
    private static String forcedPrefix(String url) {
        int tilde = url.indexOf('~');
        if (tilde >= 0) {
            return url.substring(0, tilde);
        }
        return url.endsWith("*") ? url.substring(0, url.length() - 1) : null;
    }

    @Test
    public void randomTrees() {
        Random random = new Random(20250115);
        // Trees where brute force confirmed the optimum, where AUTO saved paths, where CloudFront forced wildcards.
        int[] seen = new int[3];
        for (int tree = 0; tree < 400; tree++) {
            Site site = new Site(random);
            double pChanged = new double[] {0.1, 0.4, 0.8, 1.0}[random.nextInt(4)];
            fill(site, random, "", "", 0, pChanged, random.nextInt(4) != 0);
            double maxCollateral = new double[] {0, 0, 0.1, 0.25, 0.5, 1}[random.nextInt(6)];
            int maxWildcards = random.nextInt(4) == 0 ? random.nextInt(4) : 15;
            long used = random.nextInt(3) == 0 ? 995 : 0;
            String where = "tree " + tree;
            checkTree(site, maxCollateral, maxWildcards, used, where, seen);
        }
        assertTrue("brute force compared on " + seen[0] + " trees", seen[0] >= 250);
        assertTrue("AUTO saved paths on " + seen[1] + " trees", seen[1] >= 200);
        assertTrue("forced wildcards on " + seen[2] + " trees", seen[2] >= 150);
    }

    /** Checks every property on one site, counting in {@code seen} what the tree exercised. */
    private static void checkTree(
            Site site, double maxCollateral, int maxWildcards, long used, String where, int[] seen) {
        UrlMapper mapper = site.mapper();
        List<String> toInvalidate = site.changed.stream().map(SiteFile::path).toList();
        List<String> unchangedPaths = site.unchanged.stream().map(SiteFile::path).toList();
        Set<String> changedUrls = new TreeSet<>();
        site.changed.forEach(f -> changedUrls.addAll(f.urls()));
        Set<String> unchangedUrls = new TreeSet<>();
        site.unchanged.forEach(f -> unchangedUrls.addAll(f.urls()));
        unchangedUrls.removeAll(changedUrls);
        Set<String> allUrls = new TreeSet<>(changedUrls);
        allUrls.addAll(unchangedUrls);
        Set<String> forced = new TreeSet<>();
        for (String url : changedUrls) {
            String p = forcedPrefix(url);
            if (p != null) {
                forced.add(p);
            }
        }

        InvalidationPlan[] plans = new InvalidationPlan[3];
        for (PlanMode mode : PlanMode.values()) {
            InvalidationPlan plan = new InvalidationPlanner(
                            mapper, mode, maxCollateral, maxWildcards, Pricing.DEFAULT, used)
                    .plan(toInvalidate, unchangedPaths);
            plans[mode.ordinal()] = plan;
            assertEquals(where, mode, plan.mode());
            assertEquals(where, changedUrls.size(), plan.urlsToInvalidate());
            List<String> sorted = new ArrayList<>(new TreeSet<>(paths(plan)));
            assertEquals(where + ": sorted and distinct", sorted, paths(plan));
            if (changedUrls.isEmpty()) {
                assertTrue(where, plan.isEmpty());
            }
            for (InvalidationPath p : plan.paths()) {
                assertTrue(where + ": " + p, p.path().startsWith(site.prefix));
                assertEquals(where + ": " + p, p.path().endsWith("*"), p.wildcard());
                for (char c : p.path().toCharArray()) {
                    assertTrue(where + ": raw character in " + p, c > 0x20 && c < 0x7F && c != '~');
                }
            }
            // (1) every URL to invalidate is covered
            for (String url : changedUrls) {
                assertTrue(where + ": " + mode + " misses " + url + " in " + plan.paths(),
                        plan.paths().stream().anyMatch(p -> covers(p, url)));
            }
            // (5) the estimate of the chosen paths matches them
            long collateral = unchangedUrls.stream()
                    .filter(u -> plan.paths().stream().anyMatch(p -> p.wildcard() && covers(p, u)))
                    .count();
            assertEquals(where + " " + mode,
                    new Estimate(plan.billedPaths(), plan.wildcards(), collateral,
                            Pricing.DEFAULT.cost(plan.billedPaths(), used)),
                    plan.estimates().get(mode));
        }
        InvalidationPlan files = plans[0];
        InvalidationPlan auto = plans[1];
        InvalidationPlan all = plans[2];
        assertEquals(where, files.estimates(), auto.estimates());
        assertEquals(where, files.estimates(), all.estimates());
        Set<InvalidationPath> expectedFiles = new LinkedHashSet<>();
        toInvalidate.forEach(p -> expectedFiles.addAll(mapper.urls(p)));
        assertEquals(where, new TreeSet<>(paths(files)),
                new TreeSet<>(expectedFiles.stream().map(InvalidationPath::path).toList()));
        if (!changedUrls.isEmpty()) {
            assertEquals(where, List.of(site.prefix + "*"), paths(all));
            assertEquals(where, unchangedUrls.size(), all.estimates().get(PlanMode.ALL).collateralFiles());
        }

        // (2) AUTO never bills more than FILES
        assertTrue(where, auto.billedPaths() <= files.billedPaths());
        seen[1] += auto.billedPaths() < files.billedPaths() ? 1 : 0;
        seen[2] += forced.isEmpty() ? 0 : 1;

        // (3) each wildcard AUTO chose stays within its directory's budget
        for (InvalidationPath p : auto.paths()) {
            String prefix = p.path().substring(0, p.path().length() - 1);
            if (!p.wildcard() || forced.contains(prefix)) {
                continue;
            }
            assertTrue(where + ": chosen wildcard on a directory: " + p, prefix.endsWith("/"));
            long clearedUnchanged = unchangedUrls.stream().filter(u -> u.startsWith(prefix)).count();
            long under = allUrls.stream().filter(u -> u.startsWith(prefix)).count();
            assertTrue(where + ": " + p + " clears " + clearedUnchanged + " of " + under,
                    clearedUnchanged <= maxCollateral * under + 1e-9);
            if (maxCollateral == 0) {
                assertEquals(where + ": " + p, 0, clearedUnchanged);
            }
        }

        // (4) wildcards within the cap unless the forced ones alone exceed it
        int limit = forced.size() > maxWildcards ? forced.size() : maxWildcards;
        assertTrue(where + ": " + auto.wildcards() + " wildcards", auto.wildcards() <= limit);

        // The optimum, by brute force over every set of directories, where small enough.
        if (forced.size() > maxWildcards || changedUrls.isEmpty()) {
            return;
        }
        List<String> candidates = new ArrayList<>();
        for (String d : candidateDirectories(site.prefix, changedUrls)) {
            long clearedUnchanged = unchangedUrls.stream().filter(u -> u.startsWith(d)).count();
            long under = allUrls.stream().filter(u -> u.startsWith(d)).count();
            if (clearedUnchanged <= maxCollateral * under + 1e-9) {
                candidates.add(d);
            }
        }
        if (candidates.size() > 12) {
            return;
        }
        long best = Long.MAX_VALUE;
        for (int mask = 0; mask < 1 << candidates.size(); mask++) {
            Set<String> wildcards = new TreeSet<>(forced);
            for (int i = 0; i < candidates.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    wildcards.add(candidates.get(i));
                }
            }
            wildcards.removeIf(w -> wildcards.stream().anyMatch(o -> !o.equals(w) && w.startsWith(o)));
            if (wildcards.size() > maxWildcards) {
                continue;
            }
            long exact = changedUrls.stream()
                    .filter(u -> forcedPrefix(u) == null && wildcards.stream().noneMatch(u::startsWith))
                    .count();
            best = Math.min(best, wildcards.size() + exact);
        }
        assertEquals(where + ": " + auto.paths(), best, auto.billedPaths());
        seen[0]++;
    }

    /** Every URL directory holding a changed URL, and its ancestors up to the prefix, without '~'. */
    private static Set<String> candidateDirectories(String prefix, Set<String> changedUrls) {
        Set<String> dirs = new TreeSet<>();
        for (String url : changedUrls) {
            for (int i = url.indexOf('/', prefix.length() - 1); i >= 0; i = url.indexOf('/', i + 1)) {
                String d = url.substring(0, i + 1);
                if (!d.contains("~")) {
                    dirs.add(d);
                }
            }
        }
        return dirs;
    }

    @Test
    public void randomTreesAreDeterministic() {
        Random random = new Random(7);
        Site site = new Site(random);
        fill(site, random, "", "", 0, 0.6, true);
        List<String> changed = new ArrayList<>(site.changed.stream().map(SiteFile::path).toList());
        List<String> unchanged = new ArrayList<>(site.unchanged.stream().map(SiteFile::path).toList());
        InvalidationPlanner planner =
                new InvalidationPlanner(site.mapper(), PlanMode.AUTO, 0.25, 4, Pricing.DEFAULT, 0);
        InvalidationPlan first = planner.plan(changed, unchanged);
        Collections.reverse(changed);
        Collections.shuffle(unchanged, new Random(1));
        assertEquals(first, planner.plan(changed, unchanged));
        assertEquals(first, planner.plan(new HashSet<>(changed), new HashSet<>(unchanged)));
        assertNotEquals(0, first.urlsToInvalidate());
    }
}
