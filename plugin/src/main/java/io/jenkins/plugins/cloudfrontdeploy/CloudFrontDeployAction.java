package io.jenkins.plugins.cloudfrontdeploy;

import hudson.model.Run;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import jenkins.model.RunAction2;

/**
 * The report page of one deploy on its build: a line on the build page ({@code summary.jelly}) and the changes and
 * invalidation batches, or for a failed deploy what it left ({@code index.jelly}), with links to the archived
 * {@code changes.txt} and {@code report.json}. A build that deploys several times has one per deploy, numbered in the
 * order they ended; the job's trend and release list are {@link DeployTrendAction}.
 */
public final class CloudFrontDeployAction implements RunAction2 {
    private final DeploySummary summary;
    /** 1 for the build's first deploy, 2 for the next…; 0 in builds made before deploys were numbered. */
    private final int number;
    /** Where this deploy's reports are archived, ending in {@code /}; {@code null} in those older builds. */
    private final String artifactDir;
    private transient Run<?, ?> run;

    CloudFrontDeployAction(DeploySummary summary, int number, String artifactDir) {
        this.summary = summary;
        this.number = number;
        this.artifactDir = artifactDir;
    }

    public DeploySummary getSummary() {
        return summary;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    /** This deploy's place among the build's deploys, from 1; 0 for a deploy of an older version. */
    public int getNumber() {
        return number;
    }

    /** The archived {@code changes.txt}, relative to the build's artifacts. */
    public String getChangesArtifact() {
        return artifactDir != null ? artifactDir + ReportWriter.CHANGES_FILE : summary.getChangesFile();
    }

    /** The archived {@code report.json}, relative to the build's artifacts. */
    public String getReportArtifact() {
        return artifactDir != null ? artifactDir + ReportWriter.REPORT_FILE : summary.getReportFile();
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
        return summary.isFailed()
                ? Messages.CloudFrontDeployAction_FailedDisplayName(summary.getRelease())
                : Messages.CloudFrontDeployAction_DisplayName(summary.getRelease());
    }

    /** Unique in the build, stable and lower-case: the deploy's number (release names may repeat and have capitals). */
    @Override
    public String getUrlName() {
        return "cloudfront-deploy-" + (number > 0 ? String.valueOf(number) : summary.getRelease());
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }
}
