package io.jenkins.plugins.cloudfrontdeploy;

import edu.hm.hafner.echarts.line.LineSeries;
import edu.hm.hafner.echarts.line.LinesChartModel;
import edu.hm.hafner.echarts.line.LinesDataSet;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.echarts.AsyncTrendChart;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.TransientActionFactory;
import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * The job page's box: the trend of billed invalidation paths per build, against what one path per URL would have
 * billed (echarts-api's {@code AsyncTrendChart}, jenkinsci/echarts-api-plugin: AsyncTrendChart.java; the model
 * classes of uhafner/echarts-build-trends, package {@code edu.hm.hafner.echarts.line}, whose values are doubles), and
 * the releases on each target as the last deploy to it left them, with the builds that deployed them. One per job,
 * however many deploys its builds make.
 */
public final class DeployTrendAction implements Action, AsyncTrendChart {
    /** Builds looked at, newest first. */
    private static final int MAX_BUILDS = 50;

    private final Job<?, ?> job;

    DeployTrendAction(Job<?, ?> job) {
        this.job = job;
    }

    @Override
    public String getIconFileName() {
        return null; // a chart on the job page, not a page of its own
    }

    @Override
    public String getDisplayName() {
        return Messages.DeployTrendAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "cloudfront-deploy-trend";
    }

    @Override
    public boolean isTrendVisible() {
        return !deploys().isEmpty();
    }

    @JavaScriptMethod
    @Override
    public String getBuildTrendModel() {
        LinesDataSet data = new LinesDataSet();
        for (Run<?, ?> run : deploys()) {
            long billed = 0;
            long perFile = 0;
            long stale = 0;
            for (CloudFrontDeployAction a : run.getActions(CloudFrontDeployAction.class)) {
                billed += a.getSummary().getBilledPaths();
                perFile += a.getSummary().getBilledPaths() + a.getSavedPaths();
                stale += a.getSummary().getEdgeStale() + a.getSummary().getEdgeMissing();
            }
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("billed", (double) billed);
            values.put("perFile", (double) perFile);
            values.put("stale", (double) stale);
            data.add(run.getDisplayName(), values, run.getNumber());
        }
        LinesChartModel model = new LinesChartModel(data);
        LineSeries billed = new LineSeries(Messages.DeployTrendAction_BilledPaths(), "#1f77b4",
                LineSeries.StackedMode.SEPARATE_LINES, LineSeries.FilledMode.LINES);
        billed.addAll(data.getSeries("billed"));
        LineSeries perFile = new LineSeries(Messages.DeployTrendAction_OnePathPerUrl(), "#aaaaaa",
                LineSeries.StackedMode.SEPARATE_LINES, LineSeries.FilledMode.LINES);
        perFile.addAll(data.getSeries("perFile"));
        // URLs the edge did not serve the build at when the check ended (0 where no check ran)
        LineSeries stale = new LineSeries(Messages.DeployTrendAction_StaleUrls(), "#d62728",
                LineSeries.StackedMode.SEPARATE_LINES, LineSeries.FilledMode.LINES);
        stale.addAll(data.getSeries("stale"));
        model.addSeries(billed, perFile, stale);
        model.setDomainAxisItemName(Messages.DeployTrendAction_Build());
        return model.toString(); // echarts-build-trends renders its model as JSON
    }

    /**
     * The releases on each target as the newest completed deploy that listed them says, newest deploy's targets
     * first; each release links to the build of this job that deployed it, if any.
     */
    public List<TargetReleases> getTargets() {
        List<Run<?, ?>> newestFirst = new ArrayList<>(deploys());
        Collections.reverse(newestFirst);
        Map<String, TargetReleases> targets = new LinkedHashMap<>();
        for (Run<?, ?> run : newestFirst) {
            if (run.isBuilding()) {
                continue;
            }
            List<CloudFrontDeployAction> actions = new ArrayList<>(run.getActions(CloudFrontDeployAction.class));
            Collections.reverse(actions); // the build's last deploy is its newest
            for (CloudFrontDeployAction a : actions) {
                for (DeploySummary.Host h : a.getSummary().getHosts()) {
                    if (!h.getReleases().isEmpty() && !targets.containsKey(h.getTarget())) {
                        targets.put(h.getTarget(), new TargetReleases(h, run, newestFirst));
                    }
                }
            }
        }
        return List.copyOf(targets.values());
    }

    /** One target's release folders, as a deploy of {@link #getRun()} listed them. */
    public static final class TargetReleases {
        private final String target;
        private final Run<?, ?> run;
        private final List<ReleaseRow> releases = new ArrayList<>();

        TargetReleases(DeploySummary.Host host, Run<?, ?> run, List<Run<?, ?>> builds) {
            this.target = host.getTarget();
            this.run = run;
            for (DeploySummary.Release r : host.getReleases()) {
                releases.add(new ReleaseRow(r, deployedBy(builds, target, r.getName())));
            }
        }

        public String getTarget() {
            return target;
        }

        /** The build whose deploy listed these releases. */
        public Run<?, ?> getRun() {
            return run;
        }

        public List<ReleaseRow> getReleases() {
            return List.copyOf(releases);
        }
    }

    /** A release folder and the build of this job that deployed it. */
    public static final class ReleaseRow {
        private final DeploySummary.Release release;
        private final Run<?, ?> build;

        ReleaseRow(DeploySummary.Release release, @CheckForNull Run<?, ?> build) {
            this.release = release;
            this.build = build;
        }

        public String getName() {
            return release.getName();
        }

        /** {@code live}, {@code previous} (a rollback's default), {@code bad} (rolled back from) or {@code kept}. */
        public String getStatus() {
            return release.isLive() ? Messages.DeployTrendAction_Live()
                    : release.isPrevious() ? Messages.DeployTrendAction_Previous()
                    : release.isBad() ? Messages.DeployTrendAction_Bad()
                    : Messages.DeployTrendAction_Kept();
        }

        public String getDeployedAt() {
            return release.getDeployedAt();
        }

        /** The build that deployed it, or {@code null} (another job, a build no longer kept, the command line). */
        @CheckForNull
        public Run<?, ?> getBuild() {
            return build;
        }
    }

    /** The build among {@code builds} whose deploy switched {@code target} to {@code release}, or {@code null}. */
    @CheckForNull
    static Run<?, ?> deployedBy(List<Run<?, ?>> builds, String target, String release) {
        for (Run<?, ?> b : builds) {
            for (CloudFrontDeployAction a : b.getActions(CloudFrontDeployAction.class)) {
                DeploySummary s = a.getSummary();
                if (release.equals(s.getRelease())
                        && s.getHosts().stream().anyMatch(h -> h.isSwitched() && target.equals(h.getTarget()))) {
                    return b;
                }
            }
        }
        return null;
    }

    /** Those of the last builds that deployed, oldest first: the chart's axis runs in the order builds are added. */
    private List<Run<?, ?>> deploys() {
        List<Run<?, ?>> runs = new ArrayList<>();
        Run<?, ?> r = job.getLastBuild();
        for (int looked = 0; r != null && looked < MAX_BUILDS; looked++, r = r.getPreviousBuild()) {
            if (r.getAction(CloudFrontDeployAction.class) != null) {
                runs.add(r);
            }
        }
        Collections.reverse(runs);
        return runs;
    }

    /**
     * Adds the box to a job whose last completed build deployed, failed or not (core's
     * {@code SimpleBuildStep.LastBuildAction} looks at the last successful build only, and adds one box per action).
     */
    @Extension
    @SuppressWarnings("rawtypes") // TransientActionFactory<Job> as core's own LastBuildActionFactory: Job.class is raw
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            Job<?, ?> job = target;
            return deployed(job.getLastCompletedBuild()) || deployed(job.getLastSuccessfulBuild())
                    ? List.of(new DeployTrendAction(job))
                    : List.of();
        }

        private static boolean deployed(@CheckForNull Run<?, ?> run) {
            return run != null && run.getAction(CloudFrontDeployAction.class) != null;
        }
    }
}
