package io.jenkins.plugins.cloudfrontdeploy;

import hudson.model.Action;
import hudson.model.Run;
import java.util.Collection;
import java.util.List;
import jenkins.model.RunAction2;
import jenkins.tasks.SimpleBuildStep;

/**
 * The report page of one deploy on its build: a line on the build page ({@code summary.jelly}) and the changes and
 * invalidation batches ({@code index.jelly}), with links to the archived {@code changes.txt} and {@code report.json}.
 * Contributes the billed-paths trend to the job page.
 */
public final class CloudFrontDeployAction implements RunAction2, SimpleBuildStep.LastBuildAction {
    private final DeploySummary summary;
    private transient Run<?, ?> run;

    CloudFrontDeployAction(DeploySummary summary) {
        this.summary = summary;
    }

    public DeploySummary getSummary() {
        return summary;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    /** Paths the per-file mode would have billed minus those billed: the saving of the plan. */
    public long getSavedPaths() {
        return Math.max(0, summary.getFilesModePaths() * distributions() - summary.getBilledPaths());
    }

    private long distributions() {
        return summary.getBatches().stream().map(DeploySummary.Batch::getDistribution).distinct().count();
    }

    @Override
    public String getIconFileName() {
        return "symbol-cloud-upload-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return Messages.CloudFrontDeployAction_DisplayName(summary.getRelease());
    }

    @Override
    public String getUrlName() {
        return "cloudfront-deploy-" + summary.getRelease();
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public Collection<? extends Action> getProjectActions() {
        return run == null ? List.of() : List.of(new DeployTrendAction(run.getParent()));
    }
}
