package io.jenkins.plugins.cloudfrontdeploy;

import edu.hm.hafner.echarts.line.LineSeries;
import edu.hm.hafner.echarts.line.LinesChartModel;
import edu.hm.hafner.echarts.line.LinesDataSet;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.echarts.AsyncTrendChart;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * The job page's trend of billed invalidation paths per build, against what one path per URL would have billed
 * (echarts-api's {@code AsyncTrendChart}, jenkinsci/echarts-api-plugin: AsyncTrendChart.java; the model classes of
 * uhafner/echarts-build-trends, package {@code edu.hm.hafner.echarts.line}, whose values are doubles).
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
        return "CloudFront invalidation trend";
    }

    @Override
    public String getUrlName() {
        return "cloudfront-deploy-trend";
    }

    @Override
    public boolean isTrendVisible() {
        Run<?, ?> last = job.getLastBuild();
        return last != null && last.getAction(CloudFrontDeployAction.class) != null;
    }

    @JavaScriptMethod
    @Override
    public String getBuildTrendModel() {
        LinesDataSet data = new LinesDataSet();
        int seen = 0;
        for (Run<?, ?> run = job.getLastBuild(); run != null && seen < MAX_BUILDS; run = run.getPreviousBuild()) {
            long billed = 0;
            long perFile = 0;
            boolean any = false;
            for (CloudFrontDeployAction a : run.getActions(CloudFrontDeployAction.class)) {
                billed += a.getSummary().getBilledPaths();
                perFile += a.getSummary().getBilledPaths() + a.getSavedPaths();
                any = true;
            }
            if (any) {
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("billed", (double) billed);
                values.put("perFile", (double) perFile);
                data.add(run.getDisplayName(), values, run.getNumber());
                seen++;
            }
        }
        LinesChartModel model = new LinesChartModel(data);
        LineSeries billed = new LineSeries("Billed paths", "#1f77b4", LineSeries.StackedMode.SEPARATE_LINES,
                LineSeries.FilledMode.LINES);
        billed.addAll(data.getSeries("billed"));
        LineSeries perFile = new LineSeries("One path per URL", "#aaaaaa", LineSeries.StackedMode.SEPARATE_LINES,
                LineSeries.FilledMode.LINES);
        perFile.addAll(data.getSeries("perFile"));
        model.addSeries(billed, perFile);
        model.setDomainAxisItemName("Build");
        return model.toString(); // echarts-build-trends renders its model as JSON
    }
}
