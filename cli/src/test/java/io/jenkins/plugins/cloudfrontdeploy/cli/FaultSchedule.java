package io.jenkins.plugins.cloudfrontdeploy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The seeded schedule of the fault-injection suite: what each scenario does, drawn up front from the seed alone, so
 * that {@code -Dfaults.seed=…} replays the same faults at the same points (the child processes' timing still
 * varies: a kill lands at or after its point).
 */
final class FaultSchedule {
    /** What goes wrong in a scenario. */
    enum Kind {
        /** The deploy is killed at a point of its output, then run again. */
        KILL,
        /** Killed, run again and killed again at another point, then run again. */
        KILL_TWICE,
        /** One host's connection is reset at a byte offset, then the deploy is run again. */
        CUT,
        /** One host's connection stalls at a byte offset; the stuck deploy is killed, then run again. */
        STALL,
        /** A deploy is paused by a stall while a second deploy breaks its lock; then the first goes on. */
        LOCK
    }

    /** Every ten scenarios: ten kill points (KILL_TWICE has two), one cut, one broken lock. */
    private static final Kind[] ROTATION = {Kind.KILL, Kind.KILL_TWICE, Kind.CUT, Kind.KILL, Kind.STALL,
        Kind.KILL_TWICE, Kind.KILL, Kind.STALL, Kind.KILL, Kind.LOCK};

    /** Lines that mark where a deploy stands; a kill point waits for one of them. */
    static final List<String> MARKS = List.of("^list: ", "^scan: ", "^diff: ", "^stage: ", "^remote hash: .* hashed",
            "^verify: ", " -> ", "^switch: ", "^invalidation plan", " submitted: ", " Completed \\d+s$",
            "^invalidate: ", "^report: ");

    /**
     * Where a run is killed: once the line matching {@code mark} has come (or, without a mark, the line numbered
     * {@code line}), and then {@code extraLines} more; by SIGKILL, or SIGTERM as a CI abort sends.
     */
    record KillPoint(String mark, int line, int extraLines, boolean sigterm) {
        Pattern pattern() {
            return mark == null ? null : Pattern.compile(mark);
        }

        @Override
        public String toString() {
            return (sigterm ? "SIGTERM" : "SIGKILL") + " after " + (mark == null ? "line " + line : "/" + mark + "/")
                    + (extraLines == 0 ? "" : " +" + extraLines + " line" + (extraLines == 1 ? "" : "s"));
        }
    }

    /**
     * One scenario.
     *
     * @param build the build deployed (index into the pool)
     * @param otherBuild a different build the deploy is re-run with after the first fault, or -1
     * @param reuseName deploy under the name of an old release that retention has deleted, when there is one
     * @param kills where the runs are killed (KILL, KILL_TWICE; STALL uses the first's signal)
     * @param host the host whose network fails (CUT, STALL, LOCK)
     * @param offset where, as a share of the bytes a whole run sent to that host last time (CUT, STALL)
     */
    record Scenario(int index, Kind kind, int build, int otherBuild, boolean reuseName, List<KillPoint> kills,
            int host, double offset) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "#%d %s build %d", index, kind, build));
            if (otherBuild >= 0) {
                s.append(", re-run with build ").append(otherBuild);
            }
            if (reuseName) {
                s.append(", reusing an old release name");
            }
            switch (kind) {
                case KILL, KILL_TWICE -> s.append(", ").append(kills.stream().map(KillPoint::toString).toList());
                case CUT -> s.append(String.format(Locale.ROOT, ", reset host %d at %.0f%% of its bytes", host + 1,
                        offset * 100));
                case STALL -> s.append(String.format(Locale.ROOT, ", stall host %d at %.0f%% of its bytes, then %s",
                        host + 1, offset * 100, kills.get(0).sigterm() ? "SIGTERM" : "SIGKILL"));
                case LOCK -> s.append(String.format(Locale.ROOT, ", pause host %d after its listing,"
                        + " break the lock (build %d)", host + 1, otherBuild));
                default -> throw new IllegalStateException(kind.toString());
            }
            return s.toString();
        }
    }

    private FaultSchedule() {}

    static List<Scenario> draw(long seed, int count, int builds) {
        Random random = new Random(seed);
        List<Scenario> scenarios = new ArrayList<>();
        int previous = 0; // the suite starts with build 0 live
        for (int i = 0; i < count; i++) {
            Kind kind = ROTATION[i % ROTATION.length];
            int build = other(random, builds, previous, -1);
            int otherBuild = -1;
            if (kind == Kind.LOCK || (kind == Kind.KILL && random.nextInt(3) == 0)) {
                otherBuild = other(random, builds, previous, build);
            }
            List<KillPoint> kills = new ArrayList<>();
            int killCount = kind == Kind.KILL_TWICE ? 2 : kind == Kind.KILL || kind == Kind.STALL ? 1 : 0;
            for (int k = 0; k < killCount; k++) {
                boolean sigterm = random.nextInt(4) == 0;
                if (random.nextInt(10) < 7) {
                    kills.add(new KillPoint(MARKS.get(random.nextInt(MARKS.size())), -1, random.nextInt(3), sigterm));
                } else {
                    kills.add(new KillPoint(null, random.nextInt(24), 0, sigterm));
                }
            }
            boolean reuseName = i % 5 == 4 && kind != Kind.LOCK;
            int host = random.nextInt(FaultSites.HOSTS);
            double offset = random.nextDouble();
            scenarios.add(new Scenario(i, kind, build, otherBuild, reuseName, List.copyOf(kills), host, offset));
            previous = kind == Kind.LOCK ? otherBuild : build;
        }
        return scenarios;
    }

    /** A build other than {@code a} and {@code b}. */
    private static int other(Random random, int builds, int a, int b) {
        while (true) {
            int pick = random.nextInt(builds);
            if (pick != a && pick != b) {
                return pick;
            }
        }
    }
}
