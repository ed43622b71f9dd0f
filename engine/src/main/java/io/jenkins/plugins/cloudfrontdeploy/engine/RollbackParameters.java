package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A rollback as a form or a Pipeline step gives it, like {@link DeployParameters}: text and numbers, blank or
 * {@code null} for the defaults. Holds no secret; the secrets go separately in {@link DeployParameters.Secrets}.
 *
 * @param targets production links separated by lines, spaces or commas
 * @param to the release to go back to; blank: the release the live one replaced (see {@link Rollback})
 * @param lockTimeoutMinutes how long to wait for a deploy that holds a server's lock; {@code null}: the default (5)
 * @param hostKeyMode {@code strict}, {@code accept-new} or {@code off}; {@code null}: strict
 * @param aliveIntervalSeconds how often a keepalive the server must answer is sent; {@code null}: 10
 * @param aliveCountMax keepalives left unanswered before the connection counts as lost; {@code null}: 2
 */
public record RollbackParameters(
        String targets,
        String to,
        String distributionIds,
        String roleArn,
        String urlPrefix,
        String indexDocuments,
        String invalidationMode,
        Double maxCollateral,
        boolean invalidateAdded,
        boolean waitForCompletion,
        Integer waitTimeoutMinutes,
        Integer lockTimeoutMinutes,
        boolean breakLock,
        String hostKeyMode,
        String knownHostsFile,
        String approvedHostKeys,
        String reportDir,
        String endpointUrl,
        Integer aliveIntervalSeconds,
        Integer aliveCountMax,
        Vocabulary vocabulary)
        implements Serializable, SiteParameters {
    public RollbackParameters {
        vocabulary = vocabulary == null ? Vocabulary.CLI : vocabulary;
    }

    /** Parameters with the default keepalives ({@link #withKeepalives} sets others). */
    public RollbackParameters(String targets, String to, String distributionIds, String roleArn, String urlPrefix,
            String indexDocuments, String invalidationMode, Double maxCollateral, boolean invalidateAdded,
            boolean waitForCompletion, Integer waitTimeoutMinutes, Integer lockTimeoutMinutes, boolean breakLock,
            String hostKeyMode, String knownHostsFile, String approvedHostKeys, String reportDir,
            String endpointUrl, Vocabulary vocabulary) {
        this(targets, to, distributionIds, roleArn, urlPrefix, indexDocuments, invalidationMode, maxCollateral,
                invalidateAdded, waitForCompletion, waitTimeoutMinutes, lockTimeoutMinutes, breakLock, hostKeyMode,
                knownHostsFile, approvedHostKeys, reportDir, endpointUrl, null, null, vocabulary);
    }

    /** Parameters whose messages speak the command line's words ({@link #withVocabulary} gives another's). */
    public RollbackParameters(String targets, String to, String distributionIds, String roleArn, String urlPrefix,
            String indexDocuments, String invalidationMode, Double maxCollateral, boolean invalidateAdded,
            boolean waitForCompletion, Integer waitTimeoutMinutes, Integer lockTimeoutMinutes, boolean breakLock,
            String hostKeyMode, String knownHostsFile, String approvedHostKeys, String reportDir,
            String endpointUrl) {
        this(targets, to, distributionIds, roleArn, urlPrefix, indexDocuments, invalidationMode, maxCollateral,
                invalidateAdded, waitForCompletion, waitTimeoutMinutes, lockTimeoutMinutes, breakLock, hostKeyMode,
                knownHostsFile, approvedHostKeys, reportDir, endpointUrl, Vocabulary.CLI);
    }

    /** The same parameters, their messages in another front end's words. */
    public RollbackParameters withVocabulary(Vocabulary other) {
        return new RollbackParameters(targets, to, distributionIds, roleArn, urlPrefix, indexDocuments,
                invalidationMode, maxCollateral, invalidateAdded, waitForCompletion, waitTimeoutMinutes,
                lockTimeoutMinutes, breakLock, hostKeyMode, knownHostsFile, approvedHostKeys, reportDir, endpointUrl,
                aliveIntervalSeconds, aliveCountMax, other);
    }

    /**
     * The same parameters with other keepalives.
     *
     * @param intervalSeconds how often a keepalive the server must answer is sent; {@code null}: the default
     * @param countMax keepalives left unanswered before the connection counts as lost; {@code null}: the default
     */
    public RollbackParameters withKeepalives(Integer intervalSeconds, Integer countMax) {
        return new RollbackParameters(targets, to, distributionIds, roleArn, urlPrefix, indexDocuments,
                invalidationMode, maxCollateral, invalidateAdded, waitForCompletion, waitTimeoutMinutes,
                lockTimeoutMinutes, breakLock, hostKeyMode, knownHostsFile, approvedHostKeys, reportDir, endpointUrl,
                intervalSeconds, countMax, vocabulary);
    }

    /**
     * The engine's request.
     *
     * @param workspace what a relative report folder is relative to
     * @param scratch a private folder for files the connection needs (approved host keys), removed by the caller
     */
    public RollbackRequest toRequest(Path workspace, DeployParameters.Secrets secrets, Path scratch)
            throws IOException {
        String release = to == null || to.isBlank() ? null : ReleaseName.require(to.trim(), vocabulary);
        if (lockTimeoutMinutes != null && lockTimeoutMinutes < 0) {
            throw new DeployException("the lock timeout " + lockTimeoutMinutes + " is not valid: give the minutes to"
                    + " wait for another deploy (0: do not wait), or leave it empty for 5");
        }
        return new RollbackRequest(DeployParameters.targets(targets, secrets.sshUser(), vocabulary), release,
                SiteParameters.ssh(this, secrets, scratch), null, SiteParameters.reportDir(this, workspace),
                lockTimeoutMinutes == null ? null : Duration.ofMinutes(lockTimeoutMinutes), breakLock, false,
                SiteParameters.invalidation(this, secrets), vocabulary);
    }
}
