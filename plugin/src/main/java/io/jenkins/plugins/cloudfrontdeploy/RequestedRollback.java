package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Functions;
import hudson.console.AnnotatedLargeText;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.Run;
import hudson.model.User;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Date;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.apache.commons.jelly.XMLOutput;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * One "Roll back to this release" asked for on a report page: who asked and when, its log (its first line names the
 * user), its reports and how it ended. The rollback runs in the background on the node where the deploy ran, with the
 * deploy's options and credentials ({@link DeployedSite}); its log and reports are kept in the build's folder and
 * shown on a page of their own, {@code rollback-N/} below the report page.
 */
@Restricted(NoExternalUse.class)
public final class RequestedRollback {
    private static final Logger LOGGER = Logger.getLogger(RequestedRollback.class.getName());
    static final String RUNNING = "running";
    static final String ROLLED_BACK = "rolled back";
    static final String FAILED = "failed";
    static final String INTERRUPTED = "interrupted";

    private final int number;
    private final String userId;
    private final String userName;
    private final long requestedAt;
    private final String release;
    private volatile String state;
    private volatile String error;
    private volatile DeploySummary summary;
    private transient CloudFrontDeployAction owner;
    private transient Future<?> future;

    RequestedRollback(CloudFrontDeployAction owner, int number, @CheckForNull User user, String release) {
        this.owner = owner;
        this.number = number;
        this.userId = user == null ? Jenkins.ANONYMOUS2.getName() : user.getId();
        this.userName = user == null ? Jenkins.ANONYMOUS2.getName() : user.getDisplayName();
        this.requestedAt = System.currentTimeMillis();
        this.release = release;
        this.state = RUNNING;
    }

    /** Called when the report page is loaded: a rollback still running then was cut off by the restart. */
    void attach(CloudFrontDeployAction owner, boolean loaded) {
        this.owner = owner;
        if (loaded && RUNNING.equals(state)) {
            state = INTERRUPTED;
            error = Messages.RequestedRollback_Interrupted();
        }
    }

    public int getNumber() {
        return number;
    }

    public String getUserId() {
        return userId;
    }

    public String getUserName() {
        return userName;
    }

    public Date getRequestedAt() {
        return new Date(requestedAt);
    }

    public String getRelease() {
        return release;
    }

    /** {@value #RUNNING}, {@value #ROLLED_BACK}, {@value #FAILED} or {@value #INTERRUPTED}. */
    public String getState() {
        return state;
    }

    public boolean isRunning() {
        return RUNNING.equals(state);
    }

    /** The failure as the log ends with it, or {@code null}. */
    @CheckForNull
    public String getError() {
        return error;
    }

    /** What the rollback did, once it has finished without failing. */
    @CheckForNull
    public DeploySummary getSummary() {
        return summary;
    }

    public CloudFrontDeployAction getOwner() {
        return owner;
    }

    public Run<?, ?> getRun() {
        return owner.getRun();
    }

    public String getDisplayName() {
        return Messages.RequestedRollback_DisplayName(number, release);
    }

    /** Its folder in the build: the log, and the reports once written. */
    File folder() {
        return new File(getRun().getRootDir(), "cloudfront-rollbacks/" + owner.getUrlName() + "/" + number);
    }

    private File log() {
        return new File(folder(), "log");
    }

    public boolean hasReports() {
        return new File(folder(), ReportWriter.REPORT_FILE).isFile();
    }

    public AnnotatedLargeText<RequestedRollback> getLogText() {
        return new AnnotatedLargeText<>(log(), StandardCharsets.UTF_8, !isRunning(), this);
    }

    /** The whole log as HTML (escaped as the console is), for the page once the rollback has ended. */
    public void writeLogTo(XMLOutput out) throws IOException {
        getLogText().writeHtmlTo(0, out.asWriter());
    }

    /** The log, as far as written, for the page's progressive view. */
    public void doProgressiveHtml(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        getLogText().doProgressiveHtml(req, rsp);
    }

    public void doChanges(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        serve(ReportWriter.CHANGES_FILE, "text/plain;charset=UTF-8", rsp);
    }

    public void doReport(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        serve(ReportWriter.REPORT_FILE, "application/json;charset=UTF-8", rsp);
    }

    private void serve(String name, String type, StaplerResponse2 rsp) throws IOException {
        File f = new File(folder(), name);
        if (!f.isFile()) {
            rsp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        rsp.setContentType(type);
        Files.copy(f.toPath(), rsp.getOutputStream());
    }

    /** Starts the rollback in the background; {@link #await} waits for its end. */
    void start(@NonNull Node node, @NonNull DeployedSite site) throws IOException {
        File folder = folder();
        StreamTaskListener listener;
        try {
            Files.createDirectories(folder.toPath());
            listener = new StreamTaskListener(log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            finish(null, e.toString()); // not left "running" for ever
            throw e;
        }
        Run<?, ?> run = getRun();
        String where = where(node);
        String started = Messages.RequestedRollback_Started(release, userName, userId, run.getFullDisplayName(), where);
        listener.getLogger().println(DeployCallable.LOG_PREFIX + started);
        LOGGER.log(Level.INFO, "{0}: {1}", new Object[] {site.getTarget().replace('\n', ' '), started});
        future = Computer.threadPoolForRemoting.submit(() -> perform(node, site, run, listener));
    }

    /** Waits until the rollback has ended (tests). */
    void await() throws Exception {
        Future<?> f = future;
        if (f != null) {
            f.get();
        }
    }

    private void perform(Node node, DeployedSite site, Run<?, ?> run, StreamTaskListener listener) {
        PrintStream out = listener.getLogger();
        DeploySummary result = null;
        String failure = null;
        try {
            FilePath root = node.getRootPath();
            if (root == null) {
                throw new AbortException(Messages.RequestedRollback_Offline(where(node), release, site.getTarget()));
            }
            // the reports go to a private folder on the node, then into the build's folder beside the log
            FilePath reports = root.createTempDir("cloudfront-rollback", "");
            try {
                result = CloudFrontRollbackRunner.rollBack(site, new EnvVars(), reports.getRemote(), run, reports,
                        listener);
                if (result.isFailed()) { // switched, invalidation pending: the page shows both
                    failure = DeployCallable.LOG_PREFIX + result.getError();
                    out.println(failure);
                } else {
                    out.println(DeployCallable.LOG_PREFIX + result);
                }
            } finally {
                for (String name : new String[] {ReportWriter.CHANGES_FILE, ReportWriter.REPORT_FILE}) {
                    FilePath f = reports.child(name);
                    if (f.exists()) {
                        f.copyTo(new FilePath(new File(folder(), name)));
                    }
                }
                reports.deleteRecursive();
            }
        } catch (AbortException e) {
            failure = e.getMessage();
            out.println(failure);
        } catch (InterruptedException e) {
            failure = e.toString();
            out.println(DeployCallable.LOG_PREFIX + failure);
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
            Functions.printStackTrace(e, out);
        } finally {
            listener.closeQuietly();
            finish(result, failure);
        }
    }

    private void finish(@CheckForNull DeploySummary result, @CheckForNull String failure) {
        this.summary = result;
        this.error = failure;
        this.state = failure == null ? ROLLED_BACK : FAILED;
        LOGGER.log(Level.INFO, "{0} of {1}: {2}", new Object[] {getDisplayName(), getRun(), state});
        try {
            getRun().save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "could not save " + getRun(), e);
        }
    }

    /** "the built-in node" or "agent 'name'", for messages. */
    static String where(@NonNull Node node) {
        return node == Jenkins.get() ? Messages.RequestedRollback_BuiltInNode()
                : Messages.RequestedRollback_Agent(node.getNodeName());
    }
}
