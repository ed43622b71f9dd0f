package io.jenkins.plugins.cloudfrontdeploy;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployFailedException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployParameters;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.LogLineListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Rollback;
import io.jenkins.plugins.cloudfrontdeploy.engine.RollbackParameters;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import jenkins.MasterToSlaveFileCallable;

/**
 * The rollback, run by the engine on the agent: the sibling of {@link DeployCallable}, carrying the parameters, the
 * secrets resolved on the controller (as {@link Secret}) and the listener; returns the summary.
 */
final class RollbackCallable extends MasterToSlaveFileCallable<DeploySummary> {
    private static final long serialVersionUID = 1L;

    private final RollbackParameters parameters;
    private final ResolvedCredentials credentials;
    private final TaskListener listener;
    private final String changesFile;
    private final String reportFile;
    private final JenkinsProxy proxy;

    /**
     * @param proxy Jenkins' HTTP proxy, for the AWS calls, or {@code null}
     * @param changesFile the path of changes.txt as the summary names it (reportFile likewise)
     */
    RollbackCallable(RollbackParameters parameters, ResolvedCredentials credentials, JenkinsProxy proxy,
            TaskListener listener, String changesFile, String reportFile) {
        this.parameters = parameters;
        this.proxy = proxy;
        this.credentials = credentials;
        this.listener = listener;
        this.changesFile = changesFile;
        this.reportFile = reportFile;
    }

    /** @param workspace what a relative report folder is relative to */
    @Override
    public DeploySummary invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("cloudfront-deploy",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            DeployParameters.Secrets secrets = credentials.toEngine(proxy);
            DeployResult result = new Rollback().run(parameters.toRequest(workspace.toPath(), secrets, scratch),
                    new LogLineListener(listener.getLogger(), DeployCallable.LOG_PREFIX));
            return new DeploySummary(result, changesFile, reportFile);
        } catch (DeployFailedException e) {
            // switched, not yet invalidated: the controller archives the reports and shows what is pending
            return new DeploySummary(e.result(), changesFile, reportFile);
        } catch (DeployException e) {
            // the engine's messages name the value and the fix: no stack trace needed
            throw new AbortException(DeployCallable.LOG_PREFIX + e.getMessage());
        } finally {
            // a Pipeline's listener buffers on the agent and flushes on a timer: lines still buffered when the step
            // ends would reach the log late, or never (remoting delivers what was sent before the return value)
            listener.getLogger().flush();
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

}
