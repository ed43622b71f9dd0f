package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Computer;
import hudson.model.Failure;
import hudson.model.Item;
import hudson.model.Node;
import hudson.model.Run;
import hudson.model.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The report page of one deploy on its build: a line on the build page ({@code summary.jelly}) and the changes and
 * invalidation batches ({@code index.jelly}), with links to the archived {@code changes.txt} and {@code report.json}.
 * Contributes the billed-paths trend to the job page. A rollback's page is marked as such. For users who may build the
 * job, the page offers "Roll back to this release" ({@link RequestedRollback}).
 */
public final class CloudFrontDeployAction implements RunAction2, SimpleBuildStep.LastBuildAction {
    private final DeploySummary summary;
    /** {@code null} for a dry run, and on pages kept from before "Roll back to this release". */
    private final DeployedSite site;
    /** The rollbacks asked for on this page, never changed once set; {@code null} until the first. */
    private volatile List<RequestedRollback> rollbacks;
    private transient Run<?, ?> run;

    /** @param site where the release went and how, for "Roll back to this release"; {@code null}: not offered */
    CloudFrontDeployAction(DeploySummary summary, @CheckForNull DeployedSite site) {
        this.summary = summary;
        this.site = summary.isDryRun() ? null : site;
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
        return summary.isRollback()
                ? Messages.CloudFrontDeployAction_RollbackDisplayName(summary.getRelease())
                : Messages.CloudFrontDeployAction_DisplayName(summary.getRelease());
    }

    /** A rollback has its own: a build may deploy a release and later roll back to it. */
    @Override
    public String getUrlName() {
        return (summary.isRollback() ? "cloudfront-rollback-" : "cloudfront-deploy-") + summary.getRelease();
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

    @Override
    public Collection<? extends Action> getProjectActions() {
        return run == null ? List.of() : List.of(new DeployTrendAction(run.getParent()));
    }
}
