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
import org.jenkinsci.plugins.structs.describable.CustomDescribableModel;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;
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
    // Options with a default start at it (see DeploySettings); a configuration saved before they had one holds null,
    // for which the getters return the default.
    private String urlPrefix = DEFAULT_URL_PREFIX;
    private String indexDocuments = DEFAULT_INDEX_DOCUMENTS;
    private String invalidationMode = DEFAULT_INVALIDATION_MODE;
    private Double maxCollateral = DEFAULT_MAX_COLLATERAL;
    private boolean invalidateAdded;
    private boolean waitForCompletion;
    private Integer waitTimeoutMinutes = DEFAULT_WAIT_TIMEOUT_MINUTES;
    private Integer keepReleases = DEFAULT_KEEP_RELEASES;
    private String excludes;
    private boolean dryRun;
    private HostKeyVerificationStrategy hostKeyVerification = new HostKeyVerificationStrategy.KnownHostsFile();
    private String reportDir;
    private Integer lockTimeoutMinutes;
    private Integer aliveIntervalSeconds;
    private Integer aliveCountMax;
    private boolean breakLock;
    private boolean allowExternalLinks;
    private Integer keepRemovedReleases = DEFAULT_KEEP_REMOVED_RELEASES;
    private boolean invalidateExpired;
    private String verifyUrl;
    private Integer verifySample = DEFAULT_VERIFY_SAMPLE;
    private String verifyTimeout;
    private boolean failOnStale;
    private String originDomain;
    private boolean checkOrigin;

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

    @NonNull
    @Override
    public String getUrlPrefix() {
        return urlPrefix != null ? urlPrefix : DEFAULT_URL_PREFIX;
    }

    @DataBoundSetter
    public void setUrlPrefix(String urlPrefix) {
        this.urlPrefix = Util.fixEmptyAndTrim(urlPrefix) != null ? urlPrefix.trim() : DEFAULT_URL_PREFIX;
    }

    @NonNull
    @Override
    public String getIndexDocuments() {
        return indexDocuments != null ? indexDocuments : DEFAULT_INDEX_DOCUMENTS;
    }

    @DataBoundSetter
    public void setIndexDocuments(String indexDocuments) {
        this.indexDocuments =
                Util.fixEmptyAndTrim(indexDocuments) != null ? indexDocuments.trim() : DEFAULT_INDEX_DOCUMENTS;
    }

    @NonNull
    @Override
    public String getInvalidationMode() {
        return invalidationMode != null ? invalidationMode : DEFAULT_INVALIDATION_MODE;
    }

    @DataBoundSetter
    public void setInvalidationMode(String invalidationMode) {
        this.invalidationMode =
                Util.fixEmptyAndTrim(invalidationMode) != null ? invalidationMode.trim() : DEFAULT_INVALIDATION_MODE;
    }

    @NonNull
    @Override
    public Double getMaxCollateral() {
        return maxCollateral != null ? maxCollateral : DEFAULT_MAX_COLLATERAL;
    }

    @DataBoundSetter
    public void setMaxCollateral(Double maxCollateral) {
        this.maxCollateral = maxCollateral != null ? maxCollateral : DEFAULT_MAX_COLLATERAL;
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

    @NonNull
    @Override
    public Integer getWaitTimeoutMinutes() {
        return waitTimeoutMinutes != null ? waitTimeoutMinutes : DEFAULT_WAIT_TIMEOUT_MINUTES;
    }

    @DataBoundSetter
    public void setWaitTimeoutMinutes(Integer waitTimeoutMinutes) {
        this.waitTimeoutMinutes = waitTimeoutMinutes != null ? waitTimeoutMinutes : DEFAULT_WAIT_TIMEOUT_MINUTES;
    }

    @NonNull
    @Override
    public Integer getKeepReleases() {
        return keepReleases != null ? keepReleases : DEFAULT_KEEP_RELEASES;
    }

    @DataBoundSetter
    public void setKeepReleases(Integer keepReleases) {
        this.keepReleases = keepReleases != null ? keepReleases : DEFAULT_KEEP_RELEASES;
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

    @NonNull
    @Override
    public HostKeyVerificationStrategy getHostKeyVerification() {
        return hostKeyVerification != null ? hostKeyVerification : new HostKeyVerificationStrategy.KnownHostsFile();
    }

    @DataBoundSetter
    public void setHostKeyVerification(HostKeyVerificationStrategy hostKeyVerification) {
        this.hostKeyVerification =
                hostKeyVerification != null ? hostKeyVerification : new HostKeyVerificationStrategy.KnownHostsFile();
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
    public boolean isAllowExternalLinks() {
        return allowExternalLinks;
    }

    @DataBoundSetter
    public void setAllowExternalLinks(boolean allowExternalLinks) {
        this.allowExternalLinks = allowExternalLinks;
    }

    @NonNull
    @Override
    public Integer getKeepRemovedReleases() {
        return keepRemovedReleases != null ? keepRemovedReleases : DEFAULT_KEEP_REMOVED_RELEASES;
    }

    @DataBoundSetter
    public void setKeepRemovedReleases(Integer keepRemovedReleases) {
        this.keepRemovedReleases = keepRemovedReleases != null ? keepRemovedReleases : DEFAULT_KEEP_REMOVED_RELEASES;
    }

    @Override
    public boolean isInvalidateExpired() {
        return invalidateExpired;
    }

    @DataBoundSetter
    public void setInvalidateExpired(boolean invalidateExpired) {
        this.invalidateExpired = invalidateExpired;
    }

    @Override
    public String getVerifyUrl() {
        return verifyUrl;
    }

    @DataBoundSetter
    public void setVerifyUrl(String verifyUrl) {
        this.verifyUrl = Util.fixEmptyAndTrim(verifyUrl);
    }

    @NonNull
    @Override
    public Integer getVerifySample() {
        return verifySample != null ? verifySample : DEFAULT_VERIFY_SAMPLE;
    }

    @DataBoundSetter
    public void setVerifySample(Integer verifySample) {
        this.verifySample = verifySample != null ? verifySample : DEFAULT_VERIFY_SAMPLE;
    }

    @Override
    public String getVerifyTimeout() {
        return verifyTimeout;
    }

    @DataBoundSetter
    public void setVerifyTimeout(String verifyTimeout) {
        this.verifyTimeout = Util.fixEmptyAndTrim(verifyTimeout);
    }

    @Override
    public boolean isFailOnStale() {
        return failOnStale;
    }

    @DataBoundSetter
    public void setFailOnStale(boolean failOnStale) {
        this.failOnStale = failOnStale;
    }

    @Override
    public String getOriginDomain() {
        return originDomain;
    }

    @DataBoundSetter
    public void setOriginDomain(String originDomain) {
        this.originDomain = Util.fixEmptyAndTrim(originDomain);
    }

    @Override
    public boolean isCheckOrigin() {
        return checkOrigin;
    }

    @DataBoundSetter
    public void setCheckOrigin(boolean checkOrigin) {
        this.checkOrigin = checkOrigin;
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
            FilePath workspace = c.get(FilePath.class);
            return ControllerShutdown.failAfterPipelinesSaved(workspace, () -> CloudFrontDeployRunner.run(step,
                    c.get(Run.class), workspace, c.get(EnvVars.class), c.get(Launcher.class),
                    c.get(TaskListener.class)));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor implements CustomDescribableModel {
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
            return TargetList.label(namedArgs.get(TargetList.TARGET));
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
        public FormValidation doCheckVerifyUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return DeployForms.checkVerifyUrl(item, value);
        }

        @POST
        public FormValidation doCheckVerifyTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return DeployForms.checkVerifyTimeout(item, value);
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
