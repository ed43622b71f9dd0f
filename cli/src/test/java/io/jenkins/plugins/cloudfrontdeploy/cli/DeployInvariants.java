package io.jenkins.plugins.cloudfrontdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.cloudfrontdeploy.cli.FaultBuilds.Build;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationPath;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.UrlMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The deploy-integrity invariants (issue 11), checked after every run of the fault-injection suite, and the tally of
 * what broke them. It follows what each host serves from run to run: every change of a host's live content is
 * charged to the logical deploy whose run made it, and that deploy must have created invalidations, under its own key
 * in the fake's ledger, for every URL the change modified or removed.
 */
final class DeployInvariants {
    /** The invariants, each with what it means when broken. */
    enum Invariant {
        EXIT("a run that must finish did not exit 0"),
        INCOMPLETE("a host's production is not a complete release (content of no build)"),
        CONTENT("a run exited 0 but production does not hold its build"),
        STALE("a modified or removed URL was not invalidated by the deploy that changed it"),
        DOUBLE_BILLED("a deploy created an invalidation path more often than its URL changed"),
        REPORT("report.json is missing or disagrees with the servers"),
        FENCING("a deploy whose lock was broken changed what is served"),
        LOCK("a lock was left behind by a run stopped with SIGTERM"),
        HANG("a run did not end within " + FaultRun.GRACE.toSeconds() + " s of SIGTERM"),
        REFUSAL("a run refused without a clear error line");

        final String meaning;

        Invariant(String meaning) {
            this.meaning = meaning;
        }
    }

    /**
     * The URLs one run changed on any host, and the fake's ledger size for its key when the run began: only an
     * invalidation created from then on can have cleared what it changed.
     */
    private record Change(Set<String> urls, int ledgerFrom) {}

    /** One broken invariant, with what the run printed. */
    record Violation(Invariant invariant, String scenario, String run, String message, String transcript) {}

    /** What a run is expected to do. */
    enum Expect {
        /** Anything (a run that was killed or had its network cut): only the state it leaves is checked. */
        ANY,
        /** Exit 0 with its build live on every host. */
        FINISH,
        /** Exit 0 with its build live, or refuse with a clear error. */
        FINISH_OR_REFUSE
    }

    private final FaultSites sites;
    private final FaultBuilds builds;
    private final UrlMapper urls = new UrlMapper("/", List.of("index.html"), false);
    /** What each host serves as last seen; {@code null} when it was no complete release. */
    private final Build[] served = new Build[FaultSites.HOSTS];
    /** Per deploy key: the content changes its runs made, each of which it must have invalidated. */
    private final Map<String, List<Change>> changes = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private int releaseChecks;
    private int completeReleases;
    private int staleUrls;
    private int doubleBilled;

    DeployInvariants(FaultSites sites, FaultBuilds builds) {
        this.sites = sites;
        this.builds = builds;
    }

    /**
     * Checks everything a finished run must leave true, and charges the content changes it made to its key.
     *
     * @param scenario how the scenario is described when something broke
     */
    void afterRun(String scenario, FaultRun run, Expect expect) throws IOException, InterruptedException {
        int exit = run.exit();
        observe(scenario, run, true);
        if (expect != Expect.ANY && exit != 0) {
            if (expect == Expect.FINISH) {
                violation(Invariant.EXIT, scenario, run, "exit " + exit + ": " + run.errorLine());
            } else if (run.errorLine() == null) {
                violation(Invariant.REFUSAL, scenario, run, "exit " + exit + " without an error line");
            }
        }
        if (exit == 0) {
            for (int h = 0; h < FaultSites.HOSTS; h++) {
                if (served[h] != run.build) {
                    violation(Invariant.CONTENT, scenario, run, "host " + (h + 1) + " serves "
                            + sites.live(h) + " = " + (served[h] == null ? "no build" : served[h]) + ", not "
                            + run.build + " of release " + run.release);
                }
            }
        }
        if (run.sigterm() && !run.signalledWhileSwitching()) {
            for (int h = 0; h < FaultSites.HOSTS; h++) {
                if (h != run.stalledHost() && sites.locked(h)) {
                    violation(Invariant.LOCK, scenario, run, "the lock on host " + (h + 1) + " is still there");
                }
            }
        }
        checkReport(scenario, run);
    }

    /**
     * Looks at what each host serves: it must be a complete release; a change since the last look is charged to
     * the run's key.
     *
     * @param charge whether the run made the changes seen (a repair's are not checked)
     */
    void observe(String scenario, FaultRun run, boolean charge) throws IOException {
        Set<String> changed = new TreeSet<>();
        for (int h = 0; h < FaultSites.HOSTS; h++) {
            String live = sites.live(h);
            Build now = live == null ? null : builds.identify(Trees.snapshot(sites.site(h).resolve(live)));
            releaseChecks++;
            if (now != null) {
                completeReleases++;
            } else {
                violation(Invariant.INCOMPLETE, scenario, run, "host " + (h + 1) + ": production -> " + live
                        + (live == null ? "" : " holds " + incompleteness(h, live, run.build)));
            }
            if (charge && served[h] != null && now != null && served[h] != now) {
                changed.addAll(changedUrls(served[h], now));
            }
            served[h] = now;
        }
        if (!changed.isEmpty()) {
            changes.computeIfAbsent(run.key, k -> new ArrayList<>()).add(new Change(changed, run.ledgerStart));
        }
    }

    /** How a release folder differs from the build it should be, in a few paths. */
    private String incompleteness(int host, String live, Build expected) throws IOException {
        Map<String, String> content = Trees.snapshot(sites.site(host).resolve(live));
        TreeSet<String> diff = Trees.expectedChanges(expected.content(), content);
        return content.size() + " entries; against " + expected + ": "
                + diff.stream().limit(5).toList() + (diff.size() > 5 ? " and " + (diff.size() - 5) + " more" : "");
    }

    /** The invalidation paths of every file or link modified or removed between two builds. */
    private Set<String> changedUrls(Build before, Build after) {
        Set<String> out = new TreeSet<>();
        for (String change : Trees.expectedChanges(before.content(), after.content())) {
            if (!change.startsWith("A ")) {
                urls.urls(change.substring(2)).forEach(p -> out.add(p.path()));
            }
        }
        return out;
    }

    /**
     * Once a logical deploy is over: every URL its runs changed is covered by an invalidation it created after the
     * change began (a wildcard {@code /dir/*} covers what is below /dir/), and no path was created more often than
     * its URLs changed (once, unless a later run of the deploy changed them again).
     */
    void checkLedger(String scenario, String key, FaultRun last) {
        List<String> createdPaths = new ArrayList<>();
        List<Integer> createdIn = new ArrayList<>(); // the ledger entry each path came in
        List<FakeCloudFront.Created> ledger = sites.cloudFront.ledger(key);
        for (int i = 0; i < ledger.size(); i++) {
            for (String p : ledger.get(i).paths()) {
                createdPaths.add(p);
                createdIn.add(i);
            }
        }
        List<Change> made = changes.getOrDefault(key, List.of());
        Set<String> required = new TreeSet<>();
        Set<String> stale = new TreeSet<>();
        for (Change change : made) {
            required.addAll(change.urls());
            for (String url : change.urls()) {
                boolean covered = false;
                for (int i = 0; i < createdPaths.size() && !covered; i++) {
                    covered = createdIn.get(i) >= change.ledgerFrom() && covers(createdPaths.get(i), url);
                }
                if (!covered) {
                    stale.add(url);
                }
            }
        }
        if (!stale.isEmpty()) {
            staleUrls += stale.size();
            violation(Invariant.STALE, scenario, last, stale.size() + " of " + required.size()
                    + " changed URLs never invalidated by deploy " + key + ": " + shorten(List.copyOf(stale))
                    + "; it created " + shorten(createdPaths));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        createdPaths.forEach(p -> counts.merge(p, 1, Integer::sum));
        List<String> twice = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            long needed = made.stream().filter(c -> c.urls().stream().anyMatch(u -> covers(e.getKey(), u))).count();
            long extra = e.getValue() - Math.max(1, needed);
            if (extra > 0) {
                doubleBilled += (int) extra;
                twice.add(e.getKey() + " x" + e.getValue());
            }
        }
        if (!twice.isEmpty()) {
            violation(Invariant.DOUBLE_BILLED, scenario, last, "deploy " + key + " created these paths more often"
                    + " than their URLs changed: " + shorten(twice));
        }
    }

    private static boolean covers(String path, String url) {
        if (path.equals(url)) {
            return true;
        }
        InvalidationPath p = InvalidationPath.of(path);
        return p.wildcard() && url.startsWith(path.substring(0, path.length() - 1));
    }

    private static String shorten(List<String> items) {
        return items.size() <= 8 ? items.toString() : items.subList(0, 8) + " and " + (items.size() - 8) + " more";
    }

    /**
     * report.json: written by every run that was not killed; says how the run ended, and names the release each
     * host's link points at now.
     */
    private void checkReport(String scenario, FaultRun run) throws IOException, InterruptedException {
        JsonNode report = run.report();
        int exit = run.exit();
        if (report == null) {
            if (!run.signalled()) {
                violation(Invariant.REPORT, scenario, run, "no report.json after exit " + exit);
            }
            return;
        }
        List<String> wrong = new ArrayList<>();
        String outcome = text(report, "outcome");
        // killed after its report was written (while releasing its locks): the report stands for a finished deploy,
        // and must then agree with the servers as after exit 0
        boolean succeeded = exit == 0 || (run.signalled() && "deployed".equals(outcome));
        String expected = succeeded ? "deployed" : "failed";
        if (!expected.equals(outcome)) {
            wrong.add("outcome is " + outcome + ", not " + expected);
        }
        if (!succeeded && (text(report, "failedStage") == null || text(report, "error") == null)) {
            wrong.add("no failedStage or error");
        }
        if (succeeded && !run.release.equals(text(report, "release"))) {
            wrong.add("release is " + text(report, "release") + ", not " + run.release);
        }
        JsonNode hosts = report.path("hosts");
        for (int h = 0; h < FaultSites.HOSTS; h++) {
            JsonNode host = hosts.path(h);
            String live = sites.live(h);
            // a run that failed before it listed a host, or while switching it, cannot know its link: it may say
            // so (null), not get it wrong
            boolean known = succeeded || text(host, "production") != null;
            if (!host.has("production") && known) {
                wrong.add("hosts[" + h + "] has no production (the link points at " + live + ")");
            } else if (known && !Objects.equals(text(host, "production"), live)) {
                wrong.add("hosts[" + h + "].production is " + text(host, "production") + " but the link points at "
                        + live);
            }
            if (!host.path("switched").isBoolean()) {
                if (known) {
                    wrong.add("hosts[" + h + "] has no switched flag");
                }
            } else if (host.get("switched").asBoolean() && !run.release.equals(live)) {
                wrong.add("hosts[" + h + "] says switched, but the link points at " + live);
            }
        }
        if (!wrong.isEmpty()) {
            violation(Invariant.REPORT, scenario, run, "after exit " + exit + ": " + String.join("; ", wrong));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    void violation(Invariant invariant, String scenario, FaultRun run, String message) {
        violations.add(new Violation(invariant, scenario, run.toString(), message, run.transcript()));
    }

    /** What a host serves as last seen, or {@code null}. */
    Build served(int host) {
        return served[host];
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** The totals line the issue asks the test output to show. */
    String totals(long seed, int scenarios) {
        return String.format(java.util.Locale.ROOT, "faults (seed %d): scenarios %d, complete releases %d/%d,"
                + " stale URLs %d, double-billed %d", seed, scenarios, completeReleases, releaseChecks, staleUrls,
                doubleBilled);
    }

    /** How many violations of each invariant. */
    Map<Invariant, Integer> counts() {
        Map<Invariant, Integer> counts = new EnumMap<>(Invariant.class);
        violations.forEach(v -> counts.merge(v.invariant(), 1, Integer::sum));
        return counts;
    }
}
