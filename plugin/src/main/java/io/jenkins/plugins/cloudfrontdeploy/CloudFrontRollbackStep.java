package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.jenkinsci.plugins.structs.describable.CustomDescribableModel;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code cloudfrontRollback}: switches production on the web servers back to an earlier release (by default the one
 * the live release replaced), invalidates what differs between the two in CloudFront, and returns a
 * {@link DeploySummary} whose operation is {@code rollback}.
 *
 * <p>Like {@code cloudfrontDeploy}, the work runs off the CPS VM thread on the agent holding the workspace, and the
 * step fails as not resumable after a controller restart; run it again: the engine finishes an interrupted rollback
 * from its journal on the server, and a finished one run again does nothing.
 */
public final class CloudFrontRollbackStep extends Step implements RollbackSettings {
    private final String target;
    private String to;
    private String distributionIds;
    private String sshCredentialsId;
    private String awsCredentialsId;
    private String roleArn;
    private String urlPrefix;
    private String indexDocuments;
    private String invalidationMode;
    private Double maxCollateral;
    private boolean invalidateAdded;
    private boolean waitForCompletion;
    private Integer waitTimeoutMinutes;
    private Integer lockTimeoutMinutes;
    private Integer aliveIntervalSeconds;
    private Integer aliveCountMax;
    private boolean breakLock;
    private HostKeyVerificationStrategy hostKeyVerification;
    private String reportDir;

    @DataBoundConstructor
    public CloudFrontRollbackStep(String target) {
        this.target = Util.fixNull(target).trim();
    }

    @NonNull
    @Override
    public String getTarget() {
        return target;
    }

    @Override
    public String getTo() {
        return to;
    }

    @DataBoundSetter
    public void setTo(String to) {
        this.to = Util.fixEmptyAndTrim(to);
    }

    @Override
    public String getDistributionIds() {
        return distributionIds;
    }

    @DataBoundSetter
    public void setDistributionIds(String distributionIds) {
        this.distributionIds = Util.fixEmptyAndTrim(distributionIds);
    }

    @Override
    public String getSshCredentialsId() {
        return sshCredentialsId;
    }

    @DataBoundSetter
    public void setSshCredentialsId(String sshCredentialsId) {
        this.sshCredentialsId = Util.fixEmptyAndTrim(sshCredentialsId);
    }

    @Override
    public String getAwsCredentialsId() {
        return awsCredentialsId;
    }

    @DataBoundSetter
    public void setAwsCredentialsId(String awsCredentialsId) {
        this.awsCredentialsId = Util.fixEmptyAndTrim(awsCredentialsId);
    }

    @Override
    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = Util.fixEmptyAndTrim(roleArn);
    }

    @Override
    public String getUrlPrefix() {
        return urlPrefix;
    }

    @DataBoundSetter
    public void setUrlPrefix(String urlPrefix) {
        this.urlPrefix = Util.fixEmptyAndTrim(urlPrefix);
    }

    @Override
    public String getIndexDocuments() {
        return indexDocuments;
    }

    @DataBoundSetter
    public void setIndexDocuments(String indexDocuments) {
        this.indexDocuments = Util.fixEmptyAndTrim(indexDocuments);
    }

    @Override
    public String getInvalidationMode() {
        return invalidationMode;
    }

    @DataBoundSetter
    public void setInvalidationMode(String invalidationMode) {
        this.invalidationMode = Util.fixEmptyAndTrim(invalidationMode);
    }

    @Override
    public Double getMaxCollateral() {
        return maxCollateral;
    }

    @DataBoundSetter
    public void setMaxCollateral(Double maxCollateral) {
        this.maxCollateral = maxCollateral;
    }

    @Override
    public boolean isInvalidateAdded() {
        return invalidateAdded;
    }

    @DataBoundSetter
    public void setInvalidateAdded(boolean invalidateAdded) {
        this.invalidateAdded = invalidateAdded;
    }

    @Override
    public boolean isWaitForCompletion() {
        return waitForCompletion;
    }

    @DataBoundSetter
    public void setWaitForCompletion(boolean waitForCompletion) {
        this.waitForCompletion = waitForCompletion;
    }

    @Override
    public Integer getWaitTimeoutMinutes() {
        return waitTimeoutMinutes;
    }

    @DataBoundSetter
    public void setWaitTimeoutMinutes(Integer waitTimeoutMinutes) {
        this.waitTimeoutMinutes = waitTimeoutMinutes;
    }

    @Override
    public Integer getLockTimeoutMinutes() {
        return lockTimeoutMinutes;
    }

    @DataBoundSetter
    public void setLockTimeoutMinutes(Integer lockTimeoutMinutes) {
        this.lockTimeoutMinutes = lockTimeoutMinutes;
    }

    @Override
    public Integer getAliveIntervalSeconds() {
        return aliveIntervalSeconds;
    }

    @DataBoundSetter
    public void setAliveIntervalSeconds(Integer aliveIntervalSeconds) {
        this.aliveIntervalSeconds = aliveIntervalSeconds;
    }

    @Override
    public Integer getAliveCountMax() {
        return aliveCountMax;
    }

    @DataBoundSetter
    public void setAliveCountMax(Integer aliveCountMax) {
        this.aliveCountMax = aliveCountMax;
    }

    @Override
    public boolean isBreakLock() {
        return breakLock;
    }

    @DataBoundSetter
    public void setBreakLock(boolean breakLock) {
        this.breakLock = breakLock;
    }

    @Override
    public HostKeyVerificationStrategy getHostKeyVerification() {
        return hostKeyVerification;
    }

    @DataBoundSetter
    public void setHostKeyVerification(HostKeyVerificationStrategy hostKeyVerification) {
        this.hostKeyVerification = hostKeyVerification;
    }

    @Override
    public String getReportDir() {
        return reportDir;
    }

    @DataBoundSetter
    public void setReportDir(String reportDir) {
        this.reportDir = Util.fixEmptyAndTrim(reportDir);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** Runs the rollback through {@link CloudFrontRollbackRunner}; the value becomes the script's. */
    static final class Execution extends SynchronousNonBlockingStepExecution<DeploySummary> {
        private static final long serialVersionUID = 1L;

        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only read while running;"
                + " a restarted step fails as not resumable before it could be")
        private final transient CloudFrontRollbackStep step;

        Execution(CloudFrontRollbackStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected DeploySummary run() throws Exception {
            StepContext c = getContext();
            FilePath workspace = c.get(FilePath.class);
            return ControllerShutdown.failAfterPipelinesSaved(workspace, () -> CloudFrontRollbackRunner.run(step,
                    c.get(Run.class), workspace, c.get(EnvVars.class), c.get(Launcher.class),
                    c.get(TaskListener.class)));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor implements CustomDescribableModel {
        @Override
        public String getFunctionName() {
            return "cloudfrontRollback";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CloudFrontRollback_DisplayName();
        }

        /** The targets, and the release named, as the Pipeline graph's label of the step. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object target = namedArgs.get("target");
            Object to = namedArgs.get("to");
            if (!(target instanceof String t)) {
                return null;
            }
            return to instanceof String release ? t + " to " + release : t;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, EnvVars.class, Launcher.class, TaskListener.class);
        }

        // the same form methods as the deploy step's: DeployForms holds them
        @POST
        public FormValidation doCheckTarget(@AncestorInPath Item item, @QueryParameter String value) {
            return DeployForms.checkTarget(item, value);
        }

        @POST
        public FormValidation doCheckTo(@AncestorInPath Item item, @QueryParameter String value) {
            return DeployForms.checkRelease(item, value);
        }

        @POST
        public FormValidation doCheckDistributionIds(@AncestorInPath Item item, @QueryParameter String value) {
            return DeployForms.checkDistributionIds(item, value);
        }

        public ListBoxModel doFillInvalidationModeItems() {
            return DeployForms.invalidationModes();
        }

        @POST
        public ListBoxModel doFillSshCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String sshCredentialsId, @QueryParameter String target) {
            return DeployForms.sshCredentials(item, sshCredentialsId, target);
        }

        @POST
        public ListBoxModel doFillAwsCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String awsCredentialsId) {
            return DeployForms.awsCredentials(item, awsCredentialsId);
        }

        /** {@code target} may be a list in a script: see {@link TargetList}. */
        @NonNull
        @Override
        public Map<String, Object> customInstantiate(@NonNull Map<String, Object> arguments) {
            return TargetList.join(arguments);
        }

        @NonNull
        @Override
        public UninstantiatedDescribable customUninstantiate(@NonNull UninstantiatedDescribable ud) {
            return TargetList.sorted(ud);
        }
    }
}
