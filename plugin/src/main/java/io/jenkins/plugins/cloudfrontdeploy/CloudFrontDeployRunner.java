package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.Channel;
import hudson.remoting.ChannelClosedException;
import hudson.remoting.RequestAbortedException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployParameters;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.util.BuildListenerAdapter;
import jenkins.util.SystemProperties;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * What the Pipeline step and the freestyle build step both do: resolve credentials on the controller, run the
 * engine on the agent, archive the reports and add the build's report page, for a failed deploy too (then the build
 * fails with the engine's one line).
 */
@Restricted(NoExternalUse.class)
public final class CloudFrontDeployRunner {
    /**
     * Another CloudFront endpoint (a compatible service, or a test's fake) for every deploy of this controller; the
     * SDK's {@code AWS_ENDPOINT_URL_CLOUDFRONT} on the agent does the same per agent.
     */
    static final String ENDPOINT_PROPERTY = CloudFrontDeployRunner.class.getName() + ".endpointUrl";

    /** The default release's time: the build's, in UTC, to the millisecond (see {@link #defaultRelease}). */
    private static final DateTimeFormatter RELEASE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);

    /** Numbers the deploys of a build as they end: parallel branches may end together. */
    private static final Object NUMBERING = new Object();

    private CloudFrontDeployRunner() {}

    @NonNull
    static DeploySummary run(@NonNull DeploySettings s, @NonNull Run<?, ?> run, @NonNull FilePath workspace,
            @NonNull EnvVars env, @NonNull Launcher launcher, @NonNull TaskListener listener)
            throws IOException, InterruptedException {
        String reportDir = reportDir(s.getReportDir()); // refused before anything is written
        String release = Util.fixEmptyAndTrim(env.expand(s.getRelease()));
        HostKeyVerificationStrategy configured = s.getHostKeyVerification();
        HostKeyVerificationStrategy hostKey =
                configured != null ? configured : new HostKeyVerificationStrategy.KnownHostsFile();
        DeployParameters parameters = new DeployParameters(
                env.expand(s.getSource()),
                env.expand(s.getTarget()),
                release != null ? release : defaultRelease(run),
                s.getExcludes(),
                env.expand(s.getDistributionIds()),
                s.getRoleArn(),
                s.getUrlPrefix(),
                s.getIndexDocuments(),
                s.getInvalidationMode(),
                s.getMaxCollateral(),
                s.isInvalidateAdded(),
                s.isWaitForCompletion(),
                s.getWaitTimeoutMinutes(),
                s.getKeepReleases(),
                s.isDryRun(),
                hostKey.mode().optionValue(),
                hostKey.knownHostsFile(),
                hostKey.approvedHostKeys(),
                reportDir,
                Util.fixEmptyAndTrim(SystemProperties.getString(ENDPOINT_PROPERTY)),
                s.getLockTimeoutMinutes(),
                s.isBreakLock(),
                s.isAllowExternalLinks());
        parameters = parameters.withVocabulary(s.vocabulary()) // the messages name the options as this front end does
                .withKeepalives(s.getAliveIntervalSeconds(), s.getAliveCountMax())
                .withKeepRemoved(s.getKeepRemovedReleases(), s.isInvalidateExpired())
                .withEdgeCheck(env.expand(s.getVerifyUrl()), s.getVerifySample(), s.getVerifyTimeout(),
                        s.isFailOnStale())
                .withOriginCheck(env.expand(s.getOriginDomain()), s.isCheckOrigin());
        ResolvedCredentials credentials = ResolvedCredentials.resolve(s.getSshCredentialsId(),
                s.getAwsCredentialsId(), run, parameters.targets(), s.vocabulary());
        String changes = reportDir + "/" + ReportWriter.CHANGES_FILE;
        String report = reportDir + "/" + ReportWriter.REPORT_FILE;
        DeploySummary summary;
        try {
            summary = workspace.act(new DeployCallable(parameters, credentials, JenkinsProxy.configured(), listener,
                    changes, report));
        } catch (RequestAbortedException e) {
            // the agent's channel closed during the deploy (the agent, or this controller, went down in an orderly
            // way): remoting's Channel.isClosedChannelException, which retry's agent() condition asks, does not see
            // that in a RequestAbortedException, so the failure is said as what it is
            throw new ChannelClosedException(workspace.getChannel() instanceof Channel c ? c : null,
                    Messages.CloudFrontDeployRunner_ChannelClosed(), e);
        }
        // where the release went and how, for "Roll back to this release" on its page
        record(run, workspace, launcher, listener, summary, reportDir,
                DeployedSite.of(s, env, summary.getRelease(), workspace));
        if (summary.isFailed()) {
            // the engine's line says what failed, what production serves and whether a re-run finishes it
            throw new AbortException(DeployCallable.LOG_PREFIX + summary.getError());
        }
        listener.getLogger().println(DeployCallable.LOG_PREFIX + summary);
        return summary;
    }

    /**
     * Adds a deploy's or rollback's page to the build and archives its reports under the page's own folder (the
     * engine writes them in the workspace's report folder, which the next run reuses), then saves the build: a
     * Pipeline build may outlive a controller restart, and its page must not wait for the build's end.
     */
    static void record(Run<?, ?> run, FilePath workspace, Launcher launcher, TaskListener listener,
            DeploySummary summary, String reportDir, @CheckForNull DeployedSite site)
            throws IOException, InterruptedException {
        CloudFrontDeployAction action = addAction(run, summary, reportDir, site);
        String changes = reportDir + "/" + ReportWriter.CHANGES_FILE;
        String report = reportDir + "/" + ReportWriter.REPORT_FILE;
        Map<String, String> artifacts = new LinkedHashMap<>(); // archive path -> workspace path
        for (String file : List.of(changes, report)) {
            if (workspace.child(file).exists()) { // a failed run's report may not have been writable
                artifacts.put(file.equals(changes) ? action.getChangesArtifact() : action.getReportArtifact(), file);
            }
        }
        if (!artifacts.isEmpty()) {
            run.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), artifacts);
        }
        run.save();
    }

    /**
     * The release name when none is given: the build's start in UTC to the millisecond and its number, e.g.
     * {@code 20261201-101502.123-b17}. Unlike the build number alone, it is unique across jobs deploying to one
     * target and across a job deleted and created again, it sorts in the order the builds ran, and it is the same
     * for every attempt of one build (a {@code retry} after a restart resumes the release the first attempt began).
     */
    static String defaultRelease(Run<?, ?> run) {
        return RELEASE_TIME.format(Instant.ofEpochMilli(run.getStartTimeInMillis())) + "-b" + run.getNumber();
    }

    /**
     * The report folder, which must stay inside the workspace: it is archived from there, and on the built-in node
     * an absolute path or {@code ..} would write anywhere on the controller.
     */
    static String reportDir(@CheckForNull String configured) throws AbortException {
        String dir = Util.fixEmptyAndTrim(configured);
        if (dir == null) {
            return DiffRequest.DEFAULT_REPORT_DIR;
        }
        boolean absolute = dir.startsWith("/") || dir.startsWith("\\") || dir.matches("[A-Za-z]:.*");
        if (absolute || List.of(dir.split("[/\\\\]")).contains("..")) {
            throw new AbortException(DeployCallable.LOG_PREFIX + Messages.CloudFrontDeployRunner_BadReportDir(dir));
        }
        return dir;
    }

    /** Adds the deploy's page as the build's next deploy: its number names its URL and its archive folder. */
    private static CloudFrontDeployAction addAction(Run<?, ?> run, DeploySummary summary, String reportDir,
            DeployedSite site) {
        synchronized (NUMBERING) {
            int number = run.getActions(CloudFrontDeployAction.class).size() + 1;
            CloudFrontDeployAction action =
                    new CloudFrontDeployAction(summary, number, reportDir + "/" + number + "/", site);
            run.addAction(action);
            return action;
        }
    }
}
