package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle build step of {@link CloudFrontDeployStep}, with the same options and the same runner. No
 * {@code @Symbol}: in Pipeline the step {@code cloudfrontDeploy} is the one to use.
 */
public final class CloudFrontDeployBuilder extends Builder implements SimpleBuildStep, DeploySettings {
    // The options are declared again here, as in CloudFrontDeployStep: Stapler and structs bind them per class, and
    // a build step cannot share a base class with a Pipeline step. Each is only a field, a getter and a setter.
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
    public CloudFrontDeployBuilder(String source, String target) {
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
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        CloudFrontDeployRunner.run(this, run, workspace, env, launcher, listener);
    }

    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CloudFrontDeploy_DisplayName();
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
