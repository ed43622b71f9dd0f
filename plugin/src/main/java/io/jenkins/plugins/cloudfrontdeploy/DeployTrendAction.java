package io.jenkins.plugins.cloudfrontdeploy;

import edu.hm.hafner.echarts.line.LineSeries;
import edu.hm.hafner.echarts.line.LinesChartModel;
import edu.hm.hafner.echarts.line.LinesDataSet;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.echarts.AsyncTrendChart;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
            for (CloudFrontDeployAction a : run.getActions(CloudFrontDeployAction.class)) {
                billed += a.getSummary().getBilledPaths();
                perFile += a.getSummary().getBilledPaths() + a.getSavedPaths();
            }
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("billed", (double) billed);
            values.put("perFile", (double) perFile);
            data.add(run.getDisplayName(), values, run.getNumber());
        }
        LinesChartModel model = new LinesChartModel(data);
        LineSeries billed = new LineSeries(Messages.DeployTrendAction_BilledPaths(), "#1f77b4",
                LineSeries.StackedMode.SEPARATE_LINES, LineSeries.FilledMode.LINES);
        billed.addAll(data.getSeries("billed"));
        LineSeries perFile = new LineSeries(Messages.DeployTrendAction_OnePathPerUrl(), "#aaaaaa",
                LineSeries.StackedMode.SEPARATE_LINES, LineSeries.FilledMode.LINES);
        perFile.addAll(data.getSeries("perFile"));
        model.addSeries(billed, perFile);
        model.setDomainAxisItemName(Messages.DeployTrendAction_Build());
        return model.toString(); // echarts-build-trends renders its model as JSON
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
}
