package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.HttpProxy;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A deploy as a form or a Pipeline step gives it: text and numbers, blank or {@code null} for the defaults, lists as
 * text. Holds no secret, so it can travel to the agent as is; the secrets go separately in {@link Secrets}.
 *
 * @param source the build folder, relative to the workspace (or absolute)
 * @param targets production links separated by lines, spaces or commas
 * @param release the release name (front ends default it, e.g. to the build number)
 * @param indexDocuments names separated by spaces or commas; blank: {@code index.html}; {@value #NO_INDEX_DOCUMENTS}: none
 * @param hostKeyMode {@code strict}, {@code accept-new} or {@code off}; {@code null}: strict
 * @param approvedHostKeys known_hosts lines to trust instead of a file, or {@code null}
 * @param lockTimeoutMinutes how long to wait for another deploy's lock; {@code null}: 5
 * @param breakLock remove a lock another deploy left (it stops before changing anything more) instead of waiting
 * @param allowExternalLinks deploy symbolic links that lead outside the build, with a warning, instead of refusing
 * @param aliveIntervalSeconds how often a keepalive the server must answer is sent; {@code null}: 10
 * @param aliveCountMax keepalives left unanswered before the connection counts as lost; {@code null}: 2
 * @param keepRemovedReleases later deploys a file the build removed stays servable for; {@code null}: 1; 0: none
 * @param invalidateExpired invalidate kept files when they finally go
 * @param verifyUrl the site's address: once invalidated, the changed URLs are fetched there and compared with the
 *     build; blank: no edge check
 * @param verifySample unchanged URLs fetched besides the changed ones; {@code null}: 20
 * @param verifyTimeout how long URLs that are not the build's yet are fetched again ({@code 2m}, {@code 90s});
 *     blank: 2 minutes
 * @param failOnStale fail the deploy when URLs are still stale or missing after that
 * @param originDomain origin domain names, separated by lines, spaces or commas, that count as this site's besides
 *     the targets' hosts when each distribution's origins are checked
 * @param checkOrigin fail, instead of warning, when a distribution fetches from none of them
 * @param vocabulary how the front end names these parameters, for the messages ({@link Vocabulary#CLI} when
 *     {@code null})
 */
public record DeployParameters(
        String source,
        String targets,
        String release,
        String excludes,
        String distributionIds,
        String roleArn,
        String urlPrefix,
        String indexDocuments,
        String invalidationMode,
        Double maxCollateral,
        boolean invalidateAdded,
        boolean waitForCompletion,
        Integer waitTimeoutMinutes,
        Integer keepReleases,
        boolean dryRun,
        String hostKeyMode,
        String knownHostsFile,
        String approvedHostKeys,
        String reportDir,
        String endpointUrl,
        Integer lockTimeoutMinutes,
        boolean breakLock,
        boolean allowExternalLinks,
        Integer aliveIntervalSeconds,
        Integer aliveCountMax,
        Integer keepRemovedReleases,
        boolean invalidateExpired,
        String verifyUrl,
        Integer verifySample,
        String verifyTimeout,
        boolean failOnStale,
        String originDomain,
        boolean checkOrigin,
        Vocabulary vocabulary)
        implements Serializable, SiteParameters {
    /** The index documents value that means none (a blank one means the default). */
    public static final String NO_INDEX_DOCUMENTS = "none";

    public DeployParameters {
        vocabulary = vocabulary != null ? vocabulary : Vocabulary.CLI;
    }

    /** Parameters with the default grace period for removed files, and no edge or origin check. */
    public DeployParameters(String source, String targets, String release, String excludes, String distributionIds,
            String roleArn, String urlPrefix, String indexDocuments, String invalidationMode, Double maxCollateral,
            boolean invalidateAdded, boolean waitForCompletion, Integer waitTimeoutMinutes, Integer keepReleases,
            boolean dryRun, String hostKeyMode, String knownHostsFile, String approvedHostKeys, String reportDir,
            String endpointUrl, Integer lockTimeoutMinutes, boolean breakLock, boolean allowExternalLinks,
            Integer aliveIntervalSeconds, Integer aliveCountMax, Vocabulary vocabulary) {
        this(source, targets, release, excludes, distributionIds, roleArn, urlPrefix, indexDocuments, invalidationMode,
                maxCollateral, invalidateAdded, waitForCompletion, waitTimeoutMinutes, keepReleases, dryRun,
                hostKeyMode, knownHostsFile, approvedHostKeys, reportDir, endpointUrl, lockTimeoutMinutes, breakLock,
                allowExternalLinks, aliveIntervalSeconds, aliveCountMax, null, false, null, null, null, false, null,
                false, vocabulary);
    }

    /** Parameters whose messages speak the command line's words ({@link #withVocabulary} gives another's). */
    public DeployParameters(String source, String targets, String release, String excludes, String distributionIds,
            String roleArn, String urlPrefix, String indexDocuments, String invalidationMode, Double maxCollateral,
            boolean invalidateAdded, boolean waitForCompletion, Integer waitTimeoutMinutes, Integer keepReleases,
            boolean dryRun, String hostKeyMode, String knownHostsFile, String approvedHostKeys, String reportDir,
            String endpointUrl, Integer lockTimeoutMinutes, boolean breakLock, boolean allowExternalLinks) {
        this(source, targets, release, excludes, distributionIds, roleArn, urlPrefix, indexDocuments, invalidationMode,
                maxCollateral, invalidateAdded, waitForCompletion, waitTimeoutMinutes, keepReleases, dryRun,
                hostKeyMode, knownHostsFile, approvedHostKeys, reportDir, endpointUrl, lockTimeoutMinutes, breakLock,
                allowExternalLinks, null, null, null);
    }

    /** As the other form, refusing links that lead outside the build. */
    public DeployParameters(String source, String targets, String release, String excludes, String distributionIds,
            String roleArn, String urlPrefix, String indexDocuments, String invalidationMode, Double maxCollateral,
            boolean invalidateAdded, boolean waitForCompletion, Integer waitTimeoutMinutes, Integer keepReleases,
            boolean dryRun, String hostKeyMode, String knownHostsFile, String approvedHostKeys, String reportDir,
            String endpointUrl, Integer lockTimeoutMinutes, boolean breakLock) {
        this(source, targets, release, excludes, distributionIds, roleArn, urlPrefix, indexDocuments, invalidationMode,
                maxCollateral, invalidateAdded, waitForCompletion, waitTimeoutMinutes, keepReleases, dryRun,
                hostKeyMode, knownHostsFile, approvedHostKeys, reportDir, endpointUrl, lockTimeoutMinutes, breakLock,
                false, null, null, null);
    }

    /** As the other form, waiting the default time for another deploy's lock. */
    public DeployParameters(String source, String targets, String release, String excludes, String distributionIds,
            String roleArn, String urlPrefix, String indexDocuments, String invalidationMode, Double maxCollateral,
            boolean invalidateAdded, boolean waitForCompletion, Integer waitTimeoutMinutes, Integer keepReleases,
            boolean dryRun, String hostKeyMode, String knownHostsFile, String approvedHostKeys, String reportDir,
            String endpointUrl) {
        this(source, targets, release, excludes, distributionIds, roleArn, urlPrefix, indexDocuments, invalidationMode,
                maxCollateral, invalidateAdded, waitForCompletion, waitTimeoutMinutes, keepReleases, dryRun,
                hostKeyMode, knownHostsFile, approvedHostKeys, reportDir, endpointUrl, null, false, false, null, null,
                null);
    }

    /** These parameters, with messages in the words of the front end that gave them. */
    public DeployParameters withVocabulary(Vocabulary other) {
        return new DeployParameters(source, targets, release, excludes, distributionIds, roleArn, urlPrefix,
                indexDocuments, invalidationMode, maxCollateral, invalidateAdded, waitForCompletion,
                waitTimeoutMinutes, keepReleases, dryRun, hostKeyMode, knownHostsFile, approvedHostKeys, reportDir,
                endpointUrl, lockTimeoutMinutes, breakLock, allowExternalLinks, aliveIntervalSeconds, aliveCountMax,
                keepRemovedReleases, invalidateExpired, verifyUrl, verifySample, verifyTimeout, failOnStale,
                originDomain, checkOrigin, other);
    }

    /**
     * These parameters with other keepalives.
     *
     * @param intervalSeconds how often a keepalive the server must answer is sent; {@code null}: the default
     * @param countMax keepalives left unanswered before the connection counts as lost; {@code null}: the default
     */
    public DeployParameters withKeepalives(Integer intervalSeconds, Integer countMax) {
        return new DeployParameters(source, targets, release, excludes, distributionIds, roleArn, urlPrefix,
                indexDocuments, invalidationMode, maxCollateral, invalidateAdded, waitForCompletion,
                waitTimeoutMinutes, keepReleases, dryRun, hostKeyMode, knownHostsFile, approvedHostKeys, reportDir,
                endpointUrl, lockTimeoutMinutes, breakLock, allowExternalLinks, intervalSeconds, countMax,
                keepRemovedReleases, invalidateExpired, verifyUrl, verifySample, verifyTimeout, failOnStale,
                originDomain, checkOrigin, vocabulary);
    }

    /**
     * These parameters with another grace period for removed files.
     *
     * @param deploys later deploys a removed file stays servable for; {@code null}: the default
     * @param invalidate invalidate kept files when they finally go
     */
    public DeployParameters withKeepRemoved(Integer deploys, boolean invalidate) {
        return new DeployParameters(source, targets, release, excludes, distributionIds, roleArn, urlPrefix,
                indexDocuments, invalidationMode, maxCollateral, invalidateAdded, waitForCompletion,
                waitTimeoutMinutes, keepReleases, dryRun, hostKeyMode, knownHostsFile, approvedHostKeys, reportDir,
                endpointUrl, lockTimeoutMinutes, breakLock, allowExternalLinks, aliveIntervalSeconds, aliveCountMax,
                deploys, invalidate, verifyUrl, verifySample, verifyTimeout, failOnStale, originDomain, checkOrigin,
                vocabulary);
    }

    /**
     * These parameters with an edge check.
     *
     * @param url the site's address ({@code https://www.example.com}); blank: no check
     * @param sample unchanged URLs fetched besides the changed ones; {@code null}: the default
     * @param timeout how long to fetch again URLs not serving the build yet ({@code 2m}); blank: the default
     * @param fail fail the deploy when URLs are still stale or missing then
     */
    public DeployParameters withEdgeCheck(String url, Integer sample, String timeout, boolean fail) {
        return new DeployParameters(source, targets, release, excludes, distributionIds, roleArn, urlPrefix,
                indexDocuments, invalidationMode, maxCollateral, invalidateAdded, waitForCompletion,
                waitTimeoutMinutes, keepReleases, dryRun, hostKeyMode, knownHostsFile, approvedHostKeys, reportDir,
                endpointUrl, lockTimeoutMinutes, breakLock, allowExternalLinks, aliveIntervalSeconds, aliveCountMax,
                keepRemovedReleases, invalidateExpired, url, sample, timeout, fail, originDomain, checkOrigin,
                vocabulary);
    }

    /**
     * These parameters with the distributions' origin check.
     *
     * @param domains origin domain names that count as this site's besides the targets' hosts (a list as text)
     * @param required fail instead of warning when a distribution fetches from none of them
     */
    public DeployParameters withOriginCheck(String domains, boolean required) {
        return new DeployParameters(source, targets, release, excludes, distributionIds, roleArn, urlPrefix,
                indexDocuments, invalidationMode, maxCollateral, invalidateAdded, waitForCompletion,
                waitTimeoutMinutes, keepReleases, dryRun, hostKeyMode, knownHostsFile, approvedHostKeys, reportDir,
                endpointUrl, lockTimeoutMinutes, breakLock, allowExternalLinks, aliveIntervalSeconds, aliveCountMax,
                keepRemovedReleases, invalidateExpired, verifyUrl, verifySample, verifyTimeout, failOnStale, domains,
                required, vocabulary);
    }

    /**
     * The secrets a front end resolved (e.g. from Jenkins credentials); never printed.
     *
     * @param sshUser the user for targets that name none, or {@code null}
     * @param proxy the HTTP proxy for AWS (its password is a secret too), or {@code null}
     */
    public record Secrets(String sshUser, char[] privateKey, char[] passphrase, char[] password, String awsAccessKeyId,
            String awsSecretAccessKey, String awsSessionToken, HttpProxy proxy) {
        public static final Secrets NONE = new Secrets(null, null, null, null, null, null, null);

        /** Secrets without a proxy. */
        public Secrets(String sshUser, char[] privateKey, char[] passphrase, char[] password, String awsAccessKeyId,
                String awsSecretAccessKey, String awsSessionToken) {
            this(sshUser, privateKey, passphrase, password, awsAccessKeyId, awsSecretAccessKey, awsSessionToken, null);
        }

        public Secrets withProxy(HttpProxy other) {
            return new Secrets(sshUser, privateKey, passphrase, password, awsAccessKeyId, awsSecretAccessKey,
                    awsSessionToken, other);
        }

        @Override
        public String toString() {
            return "Secrets[sshUser=" + sshUser + ", awsAccessKeyId=" + awsAccessKeyId + ", proxy=" + proxy + "]";
        }
    }

    /**
     * The engine's request.
     *
     * @param workspace what relative folders are relative to
     * @param scratch a private folder for files the connection needs (approved host keys), removed by the caller
     */
    public DeployRequest toRequest(Path workspace, Secrets secrets, Path scratch) throws IOException {
        List<SshTarget> parsed = targets(targets, secrets.sshUser(), vocabulary);
        DeployRequest.Builder b = DeployRequest.builder(workspace.resolve(requireSource()).toString(),
                        ReleaseName.require(blankToNull(release), vocabulary))
                .excludes(lines(excludes))
                .ssh(SiteParameters.ssh(this, secrets, scratch))
                .reportDir(SiteParameters.reportDir(this, workspace))
                .dryRun(dryRun)
                .breakLock(breakLock)
                .allowExternalLinks(allowExternalLinks)
                .invalidateExpired(invalidateExpired)
                .invalidation(SiteParameters.invalidation(this, secrets)
                        .withOrigin(list(originDomain), checkOrigin))
                .edge(edge())
                .vocabulary(vocabulary);
        if (keepReleases != null) {
            b.keep(keepReleases);
        }
        if (keepRemovedReleases != null) {
            b.keepRemoved(keepRemovedReleases);
        }
        if (lockTimeoutMinutes != null) {
            b.lockTimeout(Duration.ofMinutes(lockTimeoutMinutes));
        }
        parsed.forEach(b::target);
        return b.build();
    }

    /** Every target of a list, checked: the message of the first bad one is the error. */
    public static List<SshTarget> targets(String text, String defaultUser) {
        return targets(text, defaultUser, Vocabulary.CLI);
    }

    /** As the other form, naming the option in the front end's words. */
    public static List<SshTarget> targets(String text, String defaultUser, Vocabulary words) {
        List<String> items = list(text);
        if (items.isEmpty()) {
            throw new DeployException("no target: give the production link ("
                    + words.given(Vocabulary.Setting.TARGET, "ssh://user@host/var/www/site/production") + ")");
        }
        return items.stream().map(t -> SshTarget.parse(t, defaultUser)).toList();
    }

    /** Distribution ids as {@link InvalidationOptions} accepts them, or its error. */
    public static List<String> distributions(String text) {
        return InvalidationOptions.builder().distributions(list(text)).build().distributions();
    }

    /** Items separated by lines, commas or spaces (none of which a target, id or glob here needs). */
    public static List<String> list(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    }

    /** Items separated by lines or commas: globs may contain spaces. */
    public static List<String> lines(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[\\n,]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The edge check these parameters ask for, checked. */
    private EdgeOptions edge() {
        if (blankToNull(verifyUrl) == null) {
            return EdgeOptions.NONE;
        }
        EdgeOptions e = EdgeOptions.at(EdgeOptions.parseBase(verifyUrl, vocabulary)).withFailOnStale(failOnStale);
        if (verifySample != null) {
            e = e.withSample(verifySample, vocabulary);
        }
        if (blankToNull(verifyTimeout) != null) {
            e = e.withTimeout(EdgeOptions.parseDuration(verifyTimeout, Vocabulary.Setting.VERIFY_TIMEOUT, vocabulary),
                    vocabulary);
        }
        return e;
    }

    private String requireSource() {
        if (blankToNull(source) == null) {
            throw new DeployException("no source folder: give the build output folder, relative to the workspace ("
                    + vocabulary.given(Vocabulary.Setting.SOURCE, "build/site") + ")");
        }
        return source.trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
