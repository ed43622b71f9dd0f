package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import java.util.Locale;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The options the Pipeline step and the freestyle build step share, as each of them stores them. Blank means the
 * engine's default; {@link CloudFrontDeployRunner} turns them into an engine request.
 *
 * <p>An option whose form control always posts a value (a select, a number box showing its default) starts at the
 * engine's default, its setter turns blank into that default and its getter returns it: structs then leaves a
 * default out of the Snippet Generator's output, as it does for a value equal to the bare step's.
 */
@Restricted(NoExternalUse.class)
public interface DeploySettings extends SiteSettings {
    String DEFAULT_URL_PREFIX = "/";
    String DEFAULT_INDEX_DOCUMENTS = "index.html";
    String DEFAULT_INVALIDATION_MODE = PlanMode.AUTO.name().toLowerCase(Locale.ROOT);
    Double DEFAULT_MAX_COLLATERAL = 0.0;
    Integer DEFAULT_WAIT_TIMEOUT_MINUTES = (int) InvalidationOptions.DEFAULT_WAIT_TIMEOUT.toMinutes();
    Integer DEFAULT_KEEP_RELEASES = DeployRequest.DEFAULT_KEEP;
    Integer DEFAULT_KEEP_REMOVED_RELEASES = DeployRequest.DEFAULT_KEEP_REMOVED;
    Integer DEFAULT_VERIFY_SAMPLE = EdgeOptions.DEFAULT_SAMPLE;
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

    /** Default: {@value #DEFAULT_URL_PREFIX}. */
    @NonNull
    String getUrlPrefix();

    /** Index document names, separated by spaces or commas; default: {@code index.html}; {@code none}: none. */
    @NonNull
    String getIndexDocuments();

    /** {@code files}, {@code auto} or {@code all}; default: {@code auto}. */
    @NonNull
    String getInvalidationMode();

    /** 0 to 1; default: 0. */
    @NonNull
    Double getMaxCollateral();

    boolean isInvalidateAdded();

    boolean isWaitForCompletion();

    /** Default: the engine's (30). */
    @NonNull
    Integer getWaitTimeoutMinutes();

    /** Default: the engine's (5). */
    @NonNull
    Integer getKeepReleases();

    /** Glob patterns of source paths to leave out, separated by commas or lines. */
    @CheckForNull
    String getExcludes();

    boolean isDryRun();

    /** Default: {@link HostKeyVerificationStrategy.KnownHostsFile}, the agent's {@code ~/.ssh/known_hosts}. */
    @NonNull
    HostKeyVerificationStrategy getHostKeyVerification();

    /** Workspace-relative folder for {@code changes.txt} and {@code report.json}; blank: {@code cloudfront-deploy}. */
    @CheckForNull
    String getReportDir();

    /** Minutes to wait for another deploy's lock on a server; {@code null}: the engine's default (5). */
    @CheckForNull
    Integer getLockTimeoutMinutes();

    /** Remove a lock another deploy left on a server instead of waiting for it. */
    boolean isBreakLock();

    /** Deploy symbolic links that lead outside the build (with a warning) instead of refusing the build. */
    boolean isAllowExternalLinks();

    /**
     * Later deploys a file the build removed stays servable for (hard-linked, not invalidated; pages never);
     * 0: removed with this deploy. Default: the engine's (1).
     */
    @NonNull
    Integer getKeepRemovedReleases();

    /** Invalidate a kept file when it finally goes (nothing links to it by then, so by default it is not). */
    boolean isInvalidateExpired();

    /** The site's address: once invalidated, the changed URLs are fetched there and compared; blank: no check. */
    @CheckForNull
    String getVerifyUrl();

    /** Unchanged URLs fetched besides the changed ones. Default: the engine's (20). */
    @NonNull
    Integer getVerifySample();

    /** How long URLs not serving the build yet are fetched again ({@code 2m}, {@code 90s}); blank: 2 minutes. */
    @CheckForNull
    String getVerifyTimeout();

    /** Fail the deploy when URLs are still stale or missing at the edge after that. */
    boolean isFailOnStale();

    /** Origin domain names that count as this site's besides the targets' hosts, separated by lines or commas. */
    @CheckForNull
    String getOriginDomain();

    /** Fail, instead of warning, when a distribution fetches from none of the site's origins. */
    boolean isCheckOrigin();
}
