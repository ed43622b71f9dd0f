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
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code cloudfrontDeploy}: deploys the build in the workspace as a new release on the web servers, switches
 * production to it, invalidates what changed in CloudFront, and returns a {@link DeploySummary}.
 *
 * <p>The work runs off the CPS VM thread, on the agent holding the workspace. A controller stop or an agent restart
 * fails the step (as its agent's channel closed, or after a restart as not resumable); run it again, or wrap its
 * {@code node} block in {@code retry(conditions: [agent(), nonresumable()], count: 2)}: the engine resumes the same
 * release from its journal on the server.
 */
public final class CloudFrontDeployStep extends Step implements DeploySettings {
    private final String source;
    private final String target;
    private String release;
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
    private Integer keepReleases;
    private String excludes;
    private boolean dryRun;
    private HostKeyVerificationStrategy hostKeyVerification;
    private String reportDir;
    private Integer lockTimeoutMinutes;
    private boolean breakLock;

    @DataBoundConstructor
    public CloudFrontDeployStep(String source, String target) {
        this.source = Util.fixNull(source).trim();
        this.target = Util.fixNull(target).trim();
    }

    @NonNull
    @Override
    public String getSource() {
        return source;
    }

    @NonNull
    @Override
    public String getTarget() {
        return target;
    }

    @Override
    public String getRelease() {
        return release;
    }

    @DataBoundSetter
    public void setRelease(String release) {
        this.release = Util.fixEmptyAndTrim(release);
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
    public Integer getKeepReleases() {
        return keepReleases;
    }

    @DataBoundSetter
    public void setKeepReleases(Integer keepReleases) {
        this.keepReleases = keepReleases;
    }

    @Override
    public String getExcludes() {
        return excludes;
    }

    @DataBoundSetter
    public void setExcludes(String excludes) {
        this.excludes = Util.fixEmptyAndTrim(excludes);
    }

    @Override
    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
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
    public Integer getLockTimeoutMinutes() {
        return lockTimeoutMinutes;
    }

    @DataBoundSetter
    public void setLockTimeoutMinutes(Integer lockTimeoutMinutes) {
        this.lockTimeoutMinutes = lockTimeoutMinutes;
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
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** Runs the deploy through {@link CloudFrontDeployRunner}; the value becomes the script's. */
    static final class Execution extends SynchronousNonBlockingStepExecution<DeploySummary> {
        private static final long serialVersionUID = 1L;

        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only read while running;"
                + " a restarted step fails as not resumable before it could be")
        private final transient CloudFrontDeployStep step;

        Execution(CloudFrontDeployStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected DeploySummary run() throws Exception {
            StepContext c = getContext();
            return CloudFrontDeployRunner.run(step, c.get(Run.class), c.get(FilePath.class), c.get(EnvVars.class),
                    c.get(Launcher.class), c.get(TaskListener.class));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "cloudfrontDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CloudFrontDeploy_DisplayName();
        }

        /** The targets, as the Pipeline graph's label of the step. */
        @Override
        public String argumentsToString(@NonNull java.util.Map<String, Object> namedArgs) {
            Object target = namedArgs.get("target");
            return target instanceof String t ? t : null;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, EnvVars.class, Launcher.class, TaskListener.class);
        }

        // the form methods are the same for the step and the build step: DeployForms holds them
        @POST
        public FormValidation doCheckTarget(@AncestorInPath Item item, @QueryParameter String value) {
            return DeployForms.checkTarget(item, value);
        }

        @POST
        public FormValidation doCheckRelease(@AncestorInPath Item item, @QueryParameter String value) {
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
                @QueryParameter String sshCredentialsId) {
            return DeployForms.sshCredentials(item, sshCredentialsId);
        }

        @POST
        public ListBoxModel doFillAwsCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String awsCredentialsId) {
            return DeployForms.awsCredentials(item, awsCredentialsId);
        }

        @POST
        public FormValidation doTestConnection(@AncestorInPath Item item, @QueryParameter String target,
                @QueryParameter String sshCredentialsId) {
            return DeployForms.testConnection(item, target, sshCredentialsId);
        }
    }
}
