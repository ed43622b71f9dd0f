package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The options of a rollback, as the Pipeline step and the freestyle build step store them (and as a report page's
 * "Roll back to this release" gives them); {@link CloudFrontRollbackRunner} turns them into an engine request.
 */
@Restricted(NoExternalUse.class)
public interface RollbackSettings extends SiteSettings {
    /** The release to go back to; blank: the release the live one replaced. */
    @CheckForNull
    String getTo();

    /** How long to wait for a deploy holding a server's lock; {@code null}: the engine's default (5). */
    @CheckForNull
    Integer getLockTimeoutMinutes();

    /** Remove the lock another deploy holds. */
    boolean isBreakLock();

    /** Workspace-relative folder for {@code changes.txt} and {@code report.json}; blank: {@code cloudfront-deploy}. */
    @CheckForNull
    String getReportDir();
}
