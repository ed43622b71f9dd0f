package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The options the Pipeline step and the freestyle build step share, as each of them stores them. Blank means the
 * engine's default; {@link CloudFrontDeployRunner} turns them into an engine request.
 */
@Restricted(NoExternalUse.class)
public interface DeploySettings {
    /** Workspace-relative folder of the build output. */
    @NonNull
    String getSource();

    /** One or more production links, one per line: {@code ssh://user@host[:port]/path} or an absolute path. */
    @NonNull
    String getTarget();

    /** Release name; blank: the build's time (UTC) and number, e.g. {@code 20261201-101502.123-b17}. */
    @CheckForNull
    String getRelease();

    /** CloudFront distribution ids, separated by spaces, commas or lines; blank: no invalidation. */
    @CheckForNull
    String getDistributionIds();

    @CheckForNull
    String getSshCredentialsId();

    @CheckForNull
    String getAwsCredentialsId();

    @CheckForNull
    String getRoleArn();

    @CheckForNull
    String getUrlPrefix();

    /** Index document names, separated by spaces or commas; blank: {@code index.html}; {@code none}: none. */
    @CheckForNull
    String getIndexDocuments();

    /** {@code files}, {@code auto} or {@code all}; blank: {@code auto}. */
    @CheckForNull
    String getInvalidationMode();

    /** 0 to 1; {@code null}: 0. */
    @CheckForNull
    Double getMaxCollateral();

    boolean isInvalidateAdded();

    boolean isWaitForCompletion();

    /** {@code null}: the engine's default (30). */
    @CheckForNull
    Integer getWaitTimeoutMinutes();

    /** {@code null}: the engine's default (5). */
    @CheckForNull
    Integer getKeepReleases();

    /** Glob patterns of source paths to leave out, separated by commas or lines. */
    @CheckForNull
    String getExcludes();

    boolean isDryRun();

    /** {@code null}: verify against the agent's {@code ~/.ssh/known_hosts}. */
    @CheckForNull
    HostKeyVerificationStrategy getHostKeyVerification();

    /** Workspace-relative folder for {@code changes.txt} and {@code report.json}; blank: {@code cloudfront-deploy}. */
    @CheckForNull
    String getReportDir();

    /** Minutes to wait for another deploy's lock on a server; {@code null}: the engine's default (5). */
    @CheckForNull
    Integer getLockTimeoutMinutes();

    /** Remove a lock another deploy left on a server instead of waiting for it. */
    boolean isBreakLock();
}
