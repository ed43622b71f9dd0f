package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Computer;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Where a deploy (or a rollback) put its release and how it got there, kept on its report page so that "Roll back to
 * this release" can do the same again: the targets and distributions as they were expanded, the credentials' ids
 * (never a secret), the host-key and invalidation options, and the node the engine ran on.
 */
@Restricted(NoExternalUse.class)
public final class DeployedSite implements RollbackSettings {
    private final String node;
    private final String release;
    private final String target;
    private final String distributionIds;
    private final String sshCredentialsId;
    private final String awsCredentialsId;
    private final String roleArn;
    private final String urlPrefix;
    private final String indexDocuments;
    private final String invalidationMode;
    private final Double maxCollateral;
    private final boolean invalidateAdded;
    private final boolean waitForCompletion;
    private final Integer waitTimeoutMinutes;
    private final Integer lockTimeoutMinutes;
    private final Integer aliveIntervalSeconds;
    private final Integer aliveCountMax;
    private final HostKeyVerificationStrategy hostKeyVerification;

    private DeployedSite(String node, String release, SiteSettings s, EnvVars env, Integer lockTimeoutMinutes) {
        this.node = node;
        this.release = release;
        this.target = env.expand(s.getTarget());
        this.distributionIds = env.expand(s.getDistributionIds());
        this.sshCredentialsId = s.getSshCredentialsId();
        this.awsCredentialsId = s.getAwsCredentialsId();
        this.roleArn = s.getRoleArn();
        this.urlPrefix = s.getUrlPrefix();
        this.indexDocuments = s.getIndexDocuments();
        this.invalidationMode = s.getInvalidationMode();
        this.maxCollateral = s.getMaxCollateral();
        this.invalidateAdded = s.isInvalidateAdded();
        this.waitForCompletion = s.isWaitForCompletion();
        this.waitTimeoutMinutes = s.getWaitTimeoutMinutes();
        this.lockTimeoutMinutes = lockTimeoutMinutes;
        this.aliveIntervalSeconds = s.getAliveIntervalSeconds();
        this.aliveCountMax = s.getAliveCountMax();
        this.hostKeyVerification = s.getHostKeyVerification();
    }

    /**
     * @param release the release the run made live
     * @param workspace where the engine ran: a rollback from the page runs on the same node, which reached the
     *     servers (and holds the known-hosts file, or is the server itself for a local target)
     */
    @NonNull
    static DeployedSite of(@NonNull SiteSettings s, @NonNull EnvVars env, @NonNull String release,
            @NonNull FilePath workspace) {
        Computer computer = workspace.toComputer();
        return new DeployedSite(computer == null ? null : computer.getName(), release, s, env,
                s instanceof RollbackSettings r ? r.getLockTimeoutMinutes() : null);
    }

    /** The name of the node the engine ran on ({@code ""}: the built-in node), {@code null} if not known. */
    @CheckForNull
    public String getNode() {
        return node;
    }

    /** The release that went live: a rollback from the page goes back to it. */
    @NonNull
    @Override
    public String getTo() {
        return release;
    }

    @NonNull
    @Override
    public String getTarget() {
        return target;
    }

    @Override
    public String getDistributionIds() {
        return distributionIds;
    }

    @Override
    public String getSshCredentialsId() {
        return sshCredentialsId;
    }

    @Override
    public String getAwsCredentialsId() {
        return awsCredentialsId;
    }

    @Override
    public String getRoleArn() {
        return roleArn;
    }

    @Override
    public String getUrlPrefix() {
        return urlPrefix;
    }

    @Override
    public String getIndexDocuments() {
        return indexDocuments;
    }

    @Override
    public String getInvalidationMode() {
        return invalidationMode;
    }

    @Override
    public Double getMaxCollateral() {
        return maxCollateral;
    }

    @Override
    public boolean isInvalidateAdded() {
        return invalidateAdded;
    }

    @Override
    public boolean isWaitForCompletion() {
        return waitForCompletion;
    }

    @Override
    public Integer getWaitTimeoutMinutes() {
        return waitTimeoutMinutes;
    }

    @Override
    public Integer getLockTimeoutMinutes() {
        return lockTimeoutMinutes;
    }

    /** {@code null} on the page of a run recorded before keepalives could be set: the default. */
    @Override
    public Integer getAliveIntervalSeconds() {
        return aliveIntervalSeconds;
    }

    @Override
    public Integer getAliveCountMax() {
        return aliveCountMax;
    }

    /** Never: a lock held by a running deploy is waited for, and one left behind is named in the log. */
    @Override
    public boolean isBreakLock() {
        return false;
    }

    @Override
    public HostKeyVerificationStrategy getHostKeyVerification() {
        return hostKeyVerification;
    }

    /** The page's rollback keeps its reports with its log in the build's folder, not in a workspace. */
    @Override
    public String getReportDir() {
        return null;
    }
}
