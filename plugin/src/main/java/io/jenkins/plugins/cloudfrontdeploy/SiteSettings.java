package io.jenkins.plugins.cloudfrontdeploy;

import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The options a deploy and a rollback share: where the site is, how to reach it, and what to invalidate. Blank means
 * the engine's default. A report page keeps them ({@link DeployedSite}) for "Roll back to this release".
 */
@Restricted(NoExternalUse.class)
public interface SiteSettings {
    /** One or more production links, one per line: {@code ssh://user@host[:port]/path} or an absolute path. */
    @NonNull
    String getTarget();

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

    /**
     * Seconds between keepalives the server must answer on each SSH connection; {@code null}: the engine's default
     * (10).
     */
    @CheckForNull
    Integer getAliveIntervalSeconds();

    /**
     * Keepalives left unanswered, nothing else heard from the server, before its connection counts as lost;
     * {@code null}: the engine's default (2).
     */
    @CheckForNull
    Integer getAliveCountMax();

    /** {@code null}: verify against the agent's {@code ~/.ssh/known_hosts}. */
    @CheckForNull
    HostKeyVerificationStrategy getHostKeyVerification();

    /** How the engine's messages name these options: as the Pipeline step's parameters, unless overridden. */
    @NonNull
    default Vocabulary vocabulary() {
        return Vocabulary.PIPELINE;
    }
}
