package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.RollbackParameters;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.util.BuildListenerAdapter;
import jenkins.util.SystemProperties;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * What the rollback step and build step both do, as {@link CloudFrontDeployRunner} does for a deploy: resolve
 * credentials on the controller, run the engine's rollback on the agent, archive the reports and add the report page
 * (marked as a rollback). {@link RequestedRollback} runs the same rollback from a report page's button.
 */
@Restricted(NoExternalUse.class)
public final class CloudFrontRollbackRunner {
    private CloudFrontRollbackRunner() {}

    @NonNull
    static DeploySummary run(@NonNull RollbackSettings s, @NonNull Run<?, ?> run, @NonNull FilePath workspace,
            @NonNull EnvVars env, @NonNull Launcher launcher, @NonNull TaskListener listener)
            throws IOException, InterruptedException {
        String reportDir = CloudFrontDeployRunner.reportDir(s.getReportDir()); // refused before anything is written
        DeploySummary summary = rollBack(s, env, reportDir, run, workspace, listener);
        CloudFrontDeployRunner.record(run, workspace, launcher, listener, summary, reportDir,
                DeployedSite.of(s, env, summary.getRelease(), workspace));
        if (summary.isFailed()) {
            // the engine's line says what is live and that the same rollback again finishes it
            throw new AbortException(DeployCallable.LOG_PREFIX + summary.getError());
        }
        listener.getLogger().println(DeployCallable.LOG_PREFIX + summary);
        return summary;
    }

    /**
     * The rollback itself: the credentials resolved here, on the controller, in the context of {@code run}; the
     * engine run on the machine of {@code where}, with a relative report folder inside it.
     */
    @NonNull
    static DeploySummary rollBack(@NonNull RollbackSettings s, @NonNull EnvVars env, @NonNull String reportDir,
            @NonNull Run<?, ?> run, @NonNull FilePath where, @NonNull TaskListener listener)
            throws IOException, InterruptedException {
        HostKeyVerificationStrategy hostKey = s.getHostKeyVerification() != null
                ? s.getHostKeyVerification()
                : new HostKeyVerificationStrategy.KnownHostsFile();
        RollbackParameters parameters = new RollbackParameters(
                env.expand(s.getTarget()),
                Util.fixEmptyAndTrim(env.expand(s.getTo())),
                env.expand(s.getDistributionIds()),
                s.getRoleArn(),
                s.getUrlPrefix(),
                s.getIndexDocuments(),
                s.getInvalidationMode(),
                s.getMaxCollateral(),
                s.isInvalidateAdded(),
                s.isWaitForCompletion(),
                s.getWaitTimeoutMinutes(),
                s.getLockTimeoutMinutes(),
                s.isBreakLock(),
                hostKey.mode().optionValue(),
                hostKey.knownHostsFile(),
                hostKey.approvedHostKeys(),
                reportDir,
                Util.fixEmptyAndTrim(SystemProperties.getString(CloudFrontDeployRunner.ENDPOINT_PROPERTY)))
                .withVocabulary(s.vocabulary()) // the messages name the options as this front end does
                .withKeepalives(s.getAliveIntervalSeconds(), s.getAliveCountMax());
        ResolvedCredentials credentials =
                ResolvedCredentials.resolve(s.getSshCredentialsId(), s.getAwsCredentialsId(), run,
                        parameters.targets(), s.vocabulary());
        return where.act(new RollbackCallable(parameters, credentials, JenkinsProxy.configured(), listener,
                reportDir + "/" + ReportWriter.CHANGES_FILE, reportDir + "/" + ReportWriter.REPORT_FILE));
    }
}
