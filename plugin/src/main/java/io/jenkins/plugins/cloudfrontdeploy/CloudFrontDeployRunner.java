package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployParameters;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffRequest;
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
 * What the Pipeline step and the freestyle build step both do: resolve credentials on the controller, run the
 * engine on the agent, archive the reports and add the build's report page.
 */
@Restricted(NoExternalUse.class)
public final class CloudFrontDeployRunner {
    /**
     * Another CloudFront endpoint (a compatible service, or a test's fake) for every deploy of this controller; the
     * SDK's {@code AWS_ENDPOINT_URL_CLOUDFRONT} on the agent does the same per agent.
     */
    static final String ENDPOINT_PROPERTY = CloudFrontDeployRunner.class.getName() + ".endpointUrl";

    private CloudFrontDeployRunner() {}

    @NonNull
    static DeploySummary run(@NonNull DeploySettings s, @NonNull Run<?, ?> run, @NonNull FilePath workspace,
            @NonNull EnvVars env, @NonNull Launcher launcher, @NonNull TaskListener listener)
            throws IOException, InterruptedException {
        String release = Util.fixEmptyAndTrim(env.expand(s.getRelease()));
        HostKeyVerificationStrategy hostKey = s.getHostKeyVerification();
        String reportDir = Util.fixEmptyAndTrim(s.getReportDir()) != null
                ? s.getReportDir().trim()
                : DiffRequest.DEFAULT_REPORT_DIR;
        DeployParameters parameters = new DeployParameters(
                env.expand(s.getSource()),
                env.expand(s.getTarget()),
                release != null ? release : String.valueOf(run.getNumber()),
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
                Util.fixEmptyAndTrim(SystemProperties.getString(ENDPOINT_PROPERTY)));
        parameters = parameters.withVocabulary(s.vocabulary()); // the messages name the options as this front end does
        ResolvedCredentials credentials = ResolvedCredentials.resolve(s.getSshCredentialsId(),
                s.getAwsCredentialsId(), run, parameters.targets());
        String changes = reportDir + "/" + ReportWriter.CHANGES_FILE;
        String report = reportDir + "/" + ReportWriter.REPORT_FILE;
        DeploySummary summary =
                workspace.act(new DeployCallable(parameters, credentials, JenkinsProxy.configured(), listener, changes,
                        report));
        if (new File(reportDir).isAbsolute()) {
            listener.getLogger()
                    .println(DeployCallable.LOG_PREFIX + Messages.CloudFrontDeployRunner_NotArchived(reportDir));
        } else {
            Map<String, String> artifacts = new LinkedHashMap<>(); // archive path -> workspace path
            artifacts.put(changes, changes);
            artifacts.put(report, report);
            run.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), artifacts);
        }
        // where the release went and how, for "Roll back to this release" on its page
        run.addAction(new CloudFrontDeployAction(summary, DeployedSite.of(s, env, summary.getRelease(), workspace)));
        run.save(); // a Pipeline build may outlive a controller restart: its page must not wait for the build's end
        listener.getLogger().println(DeployCallable.LOG_PREFIX + summary);
        return summary;
    }
}
