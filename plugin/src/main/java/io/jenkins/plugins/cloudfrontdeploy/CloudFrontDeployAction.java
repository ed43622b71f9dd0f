package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Computer;
import hudson.model.Failure;
import hudson.model.Item;
import hudson.model.Node;
import hudson.model.Run;
import hudson.model.User;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The report page of one deploy or rollback on its build: a line on the build page ({@code summary.jelly}) and the
 * changes and invalidation batches, or for a failed run what it left ({@code index.jelly}), with links to the
 * archived {@code changes.txt} and {@code report.json}. A build that deploys several times has one per run, numbered
 * in the order they ended; the job's trend and release list are {@link DeployTrendAction}. For users who may build
 * the job, a deploy's page offers "Roll back to this release" ({@link RequestedRollback}).
 */
public final class CloudFrontDeployAction implements RunAction2 {
    private final DeploySummary summary;
    /** 1 for the build's first run, 2 for the next…; 0 in builds made before runs were numbered. */
    private final int number;
    /** Where this run's reports are archived, ending in {@code /}; {@code null} in those older builds. */
    private final String artifactDir;
    /** {@code null} for a dry run, a failed run, and on pages kept from before "Roll back to this release". */
    private final DeployedSite site;
    /** The rollbacks asked for on this page, never changed once set; {@code null} until the first. */
    private volatile List<RequestedRollback> rollbacks;
    private transient Run<?, ?> run;

    /** @param site where the release went and how, for "Roll back to this release"; {@code null}: not offered */
    CloudFrontDeployAction(DeploySummary summary, int number, String artifactDir, @CheckForNull DeployedSite site) {
        this.summary = summary;
        this.number = number;
        this.artifactDir = artifactDir;
        this.site = summary.isDryRun() || summary.isFailed() ? null : site;
    }

    public DeploySummary getSummary() {
        return summary;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    /** This run's place among the build's deploys and rollbacks, from 1; 0 for a page of an older version. */
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
        if (summary.isFailed()) {
            return Messages.CloudFrontDeployAction_FailedDisplayName(summary.getRelease());
        }
        return summary.isRollback()
                ? Messages.CloudFrontDeployAction_RollbackDisplayName(summary.getRelease())
                : Messages.CloudFrontDeployAction_DisplayName(summary.getRelease());
    }

    /**
     * Unique in the build, stable and lower-case: the run's number (release names may repeat and have capitals); a
     * rollback's says so, as a build may deploy a release and later roll back to it.
     */
    @Override
    public String getUrlName() {
        return (summary.isRollback() ? "cloudfront-rollback-" : "cloudfront-deploy-")
                + (number > 0 ? String.valueOf(number) : summary.getRelease());
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
        for (RequestedRollback rollback : getRollbacks()) {
            rollback.attach(this, true);
        }
    }

    /** Whether "Roll back to this release" can be offered: the page knows where the release went. */
    public boolean isRollbackOffered() {
        return site != null;
    }

    /** Whether the current user may roll back to this release: the permission to build the job. */
    public boolean isRollbackPermitted() {
        return run != null && run.getParent().hasPermission(Item.BUILD);
    }

    @CheckForNull
    public DeployedSite getSite() {
        return site;
    }

    /** The rollbacks asked for on this page, oldest first. */
    public List<RequestedRollback> getRollbacks() {
        List<RequestedRollback> all = rollbacks;
        return all == null ? List.of() : List.copyOf(all);
    }

    /** {@code rollback-N/}: the page of the Nth rollback asked for here. */
    @CheckForNull
    public RequestedRollback getDynamic(String token) {
        for (RequestedRollback r : getRollbacks()) {
            if (token.equals("rollback-" + r.getNumber())) {
                return r;
            }
        }
        return null;
    }

    /**
     * "Roll back to this release": starts the rollback to the release this page's run made live, in the background on
     * the node where that ran (which reached the servers, and holds their host keys or is the server itself), and
     * shows its log. Needs the permission to build the job, as running the job again would.
     */
    @RequirePOST
    public synchronized HttpResponse doRollback() throws IOException {
        run.getParent().checkPermission(Item.BUILD);
        if (site == null) {
            throw new Failure(Messages.RequestedRollback_NotKnown(summary.getRelease()));
        }
        for (RequestedRollback r : getRollbacks()) {
            if (r.isRunning()) {
                throw new Failure(Messages.RequestedRollback_AlreadyRunning(r.getNumber()));
            }
        }
        Node node = site.getNode() == null ? null
                : site.getNode().isEmpty() ? Jenkins.get() : Jenkins.get().getNode(site.getNode());
        Computer computer = node == null ? null : node.toComputer();
        if (computer == null || computer.isOffline()) {
            String where = node != null ? RequestedRollback.where(node)
                    : site.getNode() == null ? Messages.RequestedRollback_UnknownNode()
                    : Messages.RequestedRollback_Agent(site.getNode());
            throw new Failure(Messages.RequestedRollback_Offline(where, summary.getRelease(), site.getTarget()));
        }
        List<RequestedRollback> all = new ArrayList<>(getRollbacks());
        RequestedRollback rollback = new RequestedRollback(this, all.size() + 1, User.current(), summary.getRelease());
        all.add(rollback);
        rollbacks = all; // a new list: a save of the build running meanwhile never sees one being changed
        run.save();
        rollback.start(node, site);
        return HttpResponses.redirectTo("rollback-" + rollback.getNumber() + "/");
    }
}
