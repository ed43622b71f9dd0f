package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.cli.DeployInvariants.Expect;
import io.jenkins.plugins.cloudfrontdeploy.cli.DeployInvariants.Invariant;
import io.jenkins.plugins.cloudfrontdeploy.cli.DeployInvariants.Violation;
import io.jenkins.plugins.cloudfrontdeploy.cli.FaultBuilds.Build;
import io.jenkins.plugins.cloudfrontdeploy.cli.FaultSchedule.Scenario;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CuttingRelay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Deploy integrity under faults (issue 11): the real command, in a child JVM, deploys to two hosts with --wait while
 * CloudFront throttles or fails a fifth of its calls, and is killed at seeded points of its output, has a host's
 * connection reset or stalled at seeded byte offsets, or has its lock broken by a second deploy while it is paused;
 * then it is run again, with the same build or another. After every run, {@link DeployInvariants} checks that each
 * host serves a complete release, that a run that exits 0 left its build live, that report.json agrees with the
 * servers, and, once a deploy is over, that it invalidated every URL it changed and billed no path twice.
 *
 * <p>{@code -Dfaults.scenarios=N} (default 20) and {@code -Dfaults.seed=S} (default 57) choose the schedule; the
 * soak run (bench/fault-soak.sh) runs 200. A failure prints the seed, each failing scenario's schedule and what the
 * command printed.
 */
public class FaultInjectionTest {
    private static final int SCENARIOS = Integer.getInteger("faults.scenarios", 20);
    /** The default's schedule re-runs with another build both after a kill before the switch and after one past it. */
    private static final long SEED = Long.getLong("faults.seed", 57);
    private static final int BUILDS = 8;
    /** Transcripts printed per invariant: the first few say what the rest would. */
    private static final int TRANSCRIPTS = 2;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Rule
    public Timeout timeout = Timeout.seconds(600 + 60L * SCENARIOS);

    private FaultSites sites;
    private FaultBuilds builds;
    private DeployInvariants invariants;
    /** Bytes the last whole run sent to each host through its relay: the scale of a scenario's byte offset. */
    private final long[] bytesPerRun = new long[FaultSites.HOSTS];
    /** Release ▶ {live before, build}: what each deploy that finished changed, for a later one to do again. */
    private final Map<String, Build[]> deployed = new LinkedHashMap<>();
    /** Every child started, so that none outlives a test that failed half way. */
    private final List<CliProcess> children = new ArrayList<>();
    private int runs;

    @Test
    public void deployIntegrityUnderFaults() throws Exception {
        long started = System.nanoTime();
        builds = new FaultBuilds(tmp.newFolder("builds").toPath(), new Random(SEED), BUILDS);
        List<Scenario> schedule = FaultSchedule.draw(SEED, SCENARIOS, BUILDS);
        System.out.println("faults: seed " + SEED + ", " + SCENARIOS + " scenarios (-Dfaults.seed=" + SEED
                + " -Dfaults.scenarios=" + SCENARIOS + " replays them)");
        try (FaultSites world = new FaultSites(tmp.newFolder("world").toPath(), SEED)) {
            sites = world;
            invariants = new DeployInvariants(world, builds);
            try {
                setUpLiveRelease();
                for (Scenario s : schedule) {
                    play(s);
                    repairIfNeeded(s);
                }
            } finally {
                children.forEach(CliProcess::close);
                System.out.println(report(String.format(Locale.ROOT, "%s; %d runs in %.0f s",
                        invariants.totals(SEED, SCENARIOS), runs, (System.nanoTime() - started) / 1e9), true));
            }
        }
        if (!invariants.violations().isEmpty()) {
            throw new AssertionError(report(invariants.totals(SEED, SCENARIOS), false));
        }
    }

    /** Build 0 live as release "base" on both hosts: where the first scenario starts. */
    private void setUpLiveRelease() throws Exception {
        Deploy setup = new Deploy("setup", "setup", "base");
        FaultRun run = setup.start("base", builds.get(0), true, () -> {});
        if (run.exit() != 0) {
            throw new AssertionError("the first deploy failed, so no scenario can run:\n" + run.transcript());
        }
        calibrate();
        invariants.observe("setup", run, false);
    }

    private void play(Scenario s) throws Exception {
        Build build = builds.get(s.build());
        String release = String.format(Locale.ROOT, "s%03d", s.index());
        String where = s + " as release " + release;
        Map.Entry<String, Build[]> old = s.reuseName() ? reusable() : null;
        if (old != null) {
            // the same change again under the old name: its invalidations must be new ones, not the old deploy's
            release = old.getKey();
            build = old.getValue()[1];
            where = s + " as release " + release + " again (" + old.getValue()[0] + " to " + build + ")";
            System.out.println(where);
            if (invariants.served(0) != old.getValue()[0]) {
                Deploy back = new Deploy(where + ", first back to " + old.getValue()[0],
                        "s" + s.index() + ":back", release + "-back" + s.index());
                finish(back, old.getValue()[0], "back to " + old.getValue()[0]);
            }
        } else {
            where += s.reuseName() ? " (no old name to reuse yet)" : "";
            System.out.println(where);
        }
        Deploy d = new Deploy(where, "s" + s.index() + ":" + release, release);
        switch (s.kind()) {
            case KILL, KILL_TWICE -> kill(s, d, build);
            case CUT -> cut(s, d, build);
            case STALL -> stall(s, d, build);
            case LOCK -> brokenLock(s, d, build);
            default -> throw new IllegalStateException(s.kind().toString());
        }
    }

    /** Killed once or twice at points of its output, maybe re-run with another build, then finished. */
    private void kill(Scenario s, Deploy d, Build build) throws Exception {
        FaultRun last = null;
        for (int k = 0; k < s.kills().size(); k++) {
            last = d.start("run " + (k + 1), build, true, () -> {});
            last.killAt(s.kills().get(k));
            settle(d, last, Expect.ANY);
        }
        if (s.otherBuild() >= 0) {
            last = d.start("re-run with build " + s.otherBuild(), builds.get(s.otherBuild()), true, () -> {});
            settle(d, last, Expect.FINISH_OR_REFUSE);
            if (last.exit() == 0) {
                invariants.checkLedger(d.where, d.key, last);
                return;
            }
        }
        finish(d, build, "re-run");
    }

    /** One host's connection reset at a byte offset; then run again unless it got through. */
    private void cut(Scenario s, Deploy d, Build build) throws Exception {
        long offset = offset(s);
        FaultRun first = d.start("run 1", build, true, () -> sites.relay(s.host()).cutAfter(offset));
        settle(d, first, Expect.ANY);
        if (first.exit() == 0) {
            System.out.println("    (the deploy needed less than " + offset + " bytes: it finished)");
            invariants.checkLedger(d.where, d.key, first);
            return;
        }
        finish(d, build, "re-run");
    }

    /** One host's connection stalls at a byte offset; the stuck deploy is killed, then run again. */
    private void stall(Scenario s, Deploy d, Build build) throws Exception {
        CuttingRelay relay = sites.relay(s.host());
        long offset = offset(s);
        FaultRun first = d.start("run 1", build, true, () -> relay.stallAt(offset));
        if (awaitStall(relay, first)) {
            first.stalledOn(s.host());
            first.signal(s.kills().get(0).sigterm());
        } else {
            System.out.println("    (the deploy needed less than " + offset + " bytes: it finished)");
        }
        settle(d, first, Expect.ANY);
        relay.dropConnections();
        finish(d, build, "re-run");
    }

    /**
     * Deploy A is paused by a stalled connection after it took its locks; deploy B breaks them and deploys another
     * build; then A goes on. A lock broken by an operator fences its old owner: A must stop and change nothing that
     * is served (no switch, no deleted release, no invalidation).
     */
    private void brokenLock(Scenario s, Deploy a, Build build) throws Exception {
        CuttingRelay relay = sites.relay(s.host());
        FaultRun paused = a.start("run A", build, true, () -> {});
        // the locks are taken before the listing: stall soon after it, while A stages its release
        boolean listed = paused.process().awaitLine(Pattern.compile("^list: "), 0, FaultRun.DEADLINE) >= 0;
        if (listed) {
            relay.stallAt(relay.sent() + (long) (s.offset() * 2048));
        }
        if (!listed || !awaitStall(relay, paused)) {
            System.out.println("    (deploy A ended before it was paused)");
            settle(a, paused, Expect.ANY);
            invariants.checkLedger(a.where, a.key, paused);
            return;
        }
        String releaseB = a.release + "b";
        Deploy b = new Deploy(a.where + ", breaker " + releaseB, "s" + s.index() + ":" + releaseB, releaseB);
        FaultRun breaker = b.start("run B --break-lock", builds.get(s.otherBuild()), false, () -> {}, "--break-lock");
        settle(b, breaker, Expect.FINISH);
        invariants.checkLedger(b.where, b.key, breaker);

        String[] liveAfterB = new String[FaultSites.HOSTS];
        List<List<String>> releasesAfterB = new ArrayList<>();
        for (int h = 0; h < FaultSites.HOSTS; h++) {
            liveAfterB[h] = sites.live(h);
            releasesAfterB.add(sites.releases(h));
        }
        sites.cloudFront.beginDeploy(a.key);
        int invalidationsBefore = sites.cloudFront.ledger(a.key).size();
        relay.proceed();
        int exit = paused.exit();
        relay.dropConnections();
        if (exit == 0) {
            invariants.violation(Invariant.FENCING, a.where, paused, "deploy A exited 0 after its lock was broken");
        }
        for (int h = 0; h < FaultSites.HOSTS; h++) {
            if (!Objects.equals(sites.live(h), liveAfterB[h])) {
                invariants.violation(Invariant.FENCING, a.where, paused, "deploy A switched host " + (h + 1)
                        + " from " + liveAfterB[h] + " to " + sites.live(h));
            }
            List<String> deleted = new ArrayList<>(releasesAfterB.get(h));
            deleted.removeAll(sites.releases(h));
            if (!deleted.isEmpty()) {
                invariants.violation(Invariant.FENCING, a.where, paused, "deploy A deleted " + deleted + " on host "
                        + (h + 1));
            }
        }
        int invalidations = sites.cloudFront.ledger(a.key).size() - invalidationsBefore;
        if (invalidations > 0) {
            invariants.violation(Invariant.FENCING, a.where, paused, "deploy A created " + invalidations
                    + " invalidation(s) after its lock was broken");
        }
        settle(a, paused, Expect.ANY);
        invariants.checkLedger(a.where, a.key, paused);
    }

    /** Waits until the relay stalls, or the run ends without reaching the offset. */
    private static boolean awaitStall(CuttingRelay relay, FaultRun run) throws InterruptedException {
        long deadline = System.nanoTime() + FaultRun.DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (relay.awaitStalled(Duration.ofMillis(100))) {
                return true;
            }
            if (!run.process().isAlive()) {
                return relay.isStalled();
            }
        }
        throw new AssertionError("the run neither stalled nor ended within " + FaultRun.DEADLINE + ":\n"
                + run.transcript());
    }

    /**
     * Runs the deploy again with its build: it must finish. If it does not, that is recorded, and the operator's
     * way out is taken (--break-lock), so that the scenario still checks everything else.
     */
    private void finish(Deploy d, Build build, String label) throws Exception {
        FaultRun rerun = d.start(label, build, true, () -> {});
        settle(d, rerun, Expect.FINISH);
        if (rerun.exit() != 0) {
            rerun = d.start(label + " --break-lock", build, true, () -> {}, "--break-lock");
            settle(d, rerun, Expect.FINISH);
        }
        invariants.checkLedger(d.where, d.key, rerun);
    }

    /** Waits for the run to end (bounded after SIGTERM), prints how it ended, and checks the invariants. */
    private void settle(Deploy d, FaultRun run, Expect expect) throws Exception {
        if (run.sigterm() && !run.process().awaitExit(FaultRun.GRACE)) {
            invariants.violation(Invariant.HANG, d.where, run, "still running " + FaultRun.GRACE.toSeconds()
                    + " s after SIGTERM; killed");
            run.signal(false);
        }
        int exit = run.exit();
        System.out.println("    " + run.label + ": " + run.outcome());
        invariants.afterRun(d.where, run, expect);
        if (exit == 0 && run.viaRelays) {
            calibrate();
        }
        if (exit == 0 && d.before != null && d.before != run.build && invariants.served(0) == run.build
                && invariants.served(1) == run.build) {
            deployed.remove(d.release); // re-inserted: the map's order is the order the deploys finished in
            deployed.put(d.release, new Build[] {d.before, run.build});
        }
    }

    private void calibrate() {
        for (int h = 0; h < FaultSites.HOSTS; h++) {
            bytesPerRun[h] = sites.relay(h).sent();
        }
    }

    /** Where a CUT or STALL falls: a share of what a whole run last sent to that host. */
    private long offset(Scenario s) {
        return Math.max(1, (long) (s.offset() * bytesPerRun[s.host()]));
    }

    /**
     * Scenarios start from both hosts serving the same complete release, unlocked. When a scenario left less (which
     * it has already reported), an operator's repair deploy restores that; it is not checked itself.
     */
    private void repairIfNeeded(Scenario s) throws Exception {
        Build live = invariants.served(0);
        boolean consistent = live != null && live == invariants.served(1) && !sites.locked(0) && !sites.locked(1);
        if (consistent) {
            return;
        }
        Deploy repair = new Deploy("repair after " + s, "repair" + s.index(), "fix" + s.index());
        FaultRun run = repair.start("repair", live != null ? live : builds.get(s.build()), false, () -> {},
                "--break-lock", "--allow-divergent");
        int exit = run.exit();
        System.out.println("    repair " + repair.release + ": " + run.outcome());
        invariants.observe(repair.where, run, false);
        if (exit != 0) {
            throw new AssertionError("the repair deploy after scenario " + s + " failed, so the rest cannot run.\n"
                    + report(invariants.totals(SEED, s.index() + 1), false) + "\nrepair:\n" + run.transcript());
        }
    }

    /** The oldest release deployed to the end whose every trace retention has deleted, with its change. */
    private Map.Entry<String, Build[]> reusable() throws IOException {
        for (Map.Entry<String, Build[]> e : deployed.entrySet()) {
            String name = e.getKey();
            if (sites.forgotten(name) && !name.equals(sites.live(0)) && !name.equals(sites.live(1))) {
                return e;
            }
        }
        return null;
    }

    /** The totals, how often each invariant broke, and each violation (with a few transcripts). */
    private String report(String totals, boolean withTranscripts) {
        StringBuilder out = new StringBuilder(totals).append('\n');
        List<Violation> violations = invariants.violations();
        if (violations.isEmpty()) {
            return out.append("every invariant held").toString();
        }
        for (Map.Entry<Invariant, Integer> e : invariants.counts().entrySet()) {
            out.append(String.format(Locale.ROOT, "  %-13s %3d  %s%n", e.getKey(), e.getValue(), e.getKey().meaning));
        }
        int[] shown = new int[Invariant.values().length];
        for (Violation v : violations) {
            out.append(String.format(Locale.ROOT, "[%s] %s%n    %s: %s%n", v.invariant(), v.scenario(), v.run(),
                    v.message()));
            if (withTranscripts && shown[v.invariant().ordinal()]++ < TRANSCRIPTS) {
                out.append(v.transcript().indent(8));
            }
        }
        return out.toString();
    }

    /** A logical deploy: one release, one key in the fake's ledger, however many runs it takes. */
    private final class Deploy {
        final String where;
        final String key;
        final String release;
        /** What both hosts served when it began, or {@code null} if they differed. */
        final Build before;

        Deploy(String where, String key, String release) {
            this.where = where;
            this.key = key;
            this.release = release;
            this.before = invariants.served(0) == invariants.served(1) ? invariants.served(0) : null;
        }

        /**
         * Starts a run of this deploy.
         *
         * @param viaRelays through the relays (re-armed first, then {@code arm} sets their fault) or straight to
         *     the servers (leaving the relays and whatever they hold alone)
         */
        FaultRun start(String label, Build build, boolean viaRelays, Runnable arm, String... more)
                throws IOException {
            Path dir = Files.createDirectories(sites.root().resolve("runs")
                    .resolve(String.format(Locale.ROOT, "%03d", ++runs)));
            if (viaRelays) {
                for (int h = 0; h < FaultSites.HOSTS; h++) {
                    sites.relay(h).rearm();
                }
            }
            arm.run();
            sites.cloudFront.beginDeploy(key);
            int ledgerStart = sites.cloudFront.ledger(key).size();
            Path reportDir = dir.resolve("report");
            CliProcess process = sites.start(dir, sites.deployArgs(build.dir(), release, reportDir, viaRelays,
                    Arrays.asList(more)));
            children.add(process);
            return new FaultRun(label, key, release, build, reportDir, ledgerStart, viaRelays, process);
        }
    }
}
