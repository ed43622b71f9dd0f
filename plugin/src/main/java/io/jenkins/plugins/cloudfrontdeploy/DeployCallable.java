package io.jenkins.plugins.cloudfrontdeploy;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployFailedException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployParameters;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.Deployment;
import io.jenkins.plugins.cloudfrontdeploy.engine.LogLineListener;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jenkins.MasterToSlaveFileCallable;

/**
 * The deploy, run by the engine on the agent that holds the workspace. Carries only serializable values: the
 * parameters, the secrets resolved on the controller (as {@link Secret}), and the listener; returns the summary, also
 * of a deploy that failed (the engine's exception and result are library classes, which may not cross the channel).
 *
 * <p>{@code MasterToSlaveFileCallable} (since 1.587) rather than the newer {@code jenkins.agents}
 * {@code ControllerToAgentFileCallable}, whose {@code @since} is still TODO in jenkinsci/jenkins and so may postdate
 * the 2.555 baseline.
 */
final class DeployCallable extends MasterToSlaveFileCallable<DeploySummary> {
    private static final long serialVersionUID = 1L;
    static final String LOG_PREFIX = "[cloudfront-deploy] ";

    private final DeployParameters parameters;
    private final ResolvedCredentials credentials;
    private final JenkinsProxy proxy;
    private final TaskListener listener;
    private final String changesFile;
    private final String reportFile;

    /**
     * @param proxy Jenkins' HTTP proxy, for the AWS calls, or {@code null}
     * @param changesFile the workspace path of changes.txt, as the summary names it (reportFile likewise)
     */
    DeployCallable(DeployParameters parameters, ResolvedCredentials credentials, JenkinsProxy proxy,
            TaskListener listener, String changesFile, String reportFile) {
        this.changesFile = changesFile;
        this.reportFile = reportFile;
        this.parameters = parameters;
        this.credentials = credentials;
        this.proxy = proxy;
        this.listener = listener;
    }

    /** @return the summary; {@link DeploySummary#isFailed()} for a deploy that failed once it had begun */
    @Override
    public DeploySummary invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        try {
            requirePosix(FileSystems.getDefault());
            return deploy(workspace, log);
        } finally {
            // a Pipeline agent's console is buffered (workflow-api's DelayBufferedOutputStream) and only flushed every
            // few seconds: the last lines must reach the controller before the result does, and so before the step's
            // own summary line
            log.flush();
        }
    }

    private DeploySummary deploy(File workspace, PrintStream log) throws IOException {
        Path scratch = Files.createTempDirectory("cloudfront-deploy",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            DeployParameters.Secrets secrets = credentials.toEngine(proxy);
            DeployResult result = new Deployment().run(parameters.toRequest(workspace.toPath(), secrets, scratch),
                    new LogLineListener(log, LOG_PREFIX));
            return new DeploySummary(result, changesFile, reportFile);
        } catch (DeployFailedException e) {
            // the engine wrote the failed run's reports: the controller archives them and shows what the run left
            return new DeploySummary(e.result(), changesFile, reportFile);
        } catch (DeployException e) {
            // the engine's messages name the value and the fix: no stack trace needed
            throw new AbortException(LOG_PREFIX + e.getMessage());
        } finally {
            deleteTree(scratch, log);
        }
    }

    /**
     * The engine needs POSIX files (permissions, links, a shell for the local transport); on Windows the JDK refuses
     * them with an {@code UnsupportedOperationException} deep in the deploy.
     */
    static void requirePosix(FileSystem fs) throws AbortException {
        if (!fs.supportedFileAttributeViews().contains("posix")) {
            throw new AbortException(LOG_PREFIX + Messages.DeployCallable_NotPosix(System.getProperty("os.name")));
        }
    }

    /** The scratch folder holds only pasted host keys, yet it is not left behind silently. */
    private static void deleteTree(Path dir, PrintStream log) {
        try {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.println(LOG_PREFIX + "WARNING: " + Messages.DeployCallable_ScratchNotDeleted(dir, e.getMessage()));
        }
    }

}
