package io.jenkins.plugins.cloudfrontdeploy.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code cloudfrontDeploy} Pipeline step's words: its parameter names (the plugin's test holds them to the step's
 * {@code @DataBoundConstructor} and setters), with Groovy values. Options the step lacks have no name here.
 */
enum PipelineVocabulary implements Vocabulary {
    INSTANCE;

    private static final Map<Setting, String> PARAMETERS = new EnumMap<>(Setting.class);

    static {
        PARAMETERS.put(Setting.SOURCE, "source");
        PARAMETERS.put(Setting.TARGET, "target");
        PARAMETERS.put(Setting.RELEASE, "release");
        PARAMETERS.put(Setting.EXCLUDE, "excludes");
        PARAMETERS.put(Setting.REPORT_DIR, "reportDir");
        PARAMETERS.put(Setting.KEEP, "keepReleases");
        PARAMETERS.put(Setting.KEEP_REMOVED, "keepRemovedReleases");
        PARAMETERS.put(Setting.INVALIDATE_EXPIRED, "invalidateExpired");
        PARAMETERS.put(Setting.DRY_RUN, "dryRun");
        PARAMETERS.put(Setting.DISTRIBUTION, "distributionIds");
        PARAMETERS.put(Setting.URL_PREFIX, "urlPrefix");
        PARAMETERS.put(Setting.INDEX_DOCUMENT, "indexDocuments");
        PARAMETERS.put(Setting.INVALIDATE_ADDED, "invalidateAdded");
        PARAMETERS.put(Setting.MODE, "invalidationMode");
        PARAMETERS.put(Setting.MAX_COLLATERAL, "maxCollateral");
        PARAMETERS.put(Setting.WAIT, "waitForCompletion");
        PARAMETERS.put(Setting.WAIT_TIMEOUT, "waitTimeoutMinutes");
        PARAMETERS.put(Setting.IDENTITY, "sshCredentialsId");
        PARAMETERS.put(Setting.PASSPHRASE, "sshCredentialsId");
        PARAMETERS.put(Setting.PASSWORD, "sshCredentialsId");
        PARAMETERS.put(Setting.KNOWN_HOSTS, "hostKeyVerification");
        PARAMETERS.put(Setting.HOST_KEY_VERIFICATION, "hostKeyVerification");
        PARAMETERS.put(Setting.AWS_CREDENTIALS, "awsCredentialsId");
        PARAMETERS.put(Setting.ROLE_ARN, "roleArn");
        PARAMETERS.put(Setting.LOCK_TIMEOUT, "lockTimeoutMinutes");
        PARAMETERS.put(Setting.BREAK_LOCK, "breakLock");
        PARAMETERS.put(Setting.ALLOW_EXTERNAL_LINKS, "allowExternalLinks");
        PARAMETERS.put(Setting.ALIVE_INTERVAL, "aliveIntervalSeconds");
        PARAMETERS.put(Setting.ALIVE_COUNT_MAX, "aliveCountMax");
        PARAMETERS.put(Setting.VERIFY_URL, "verifyUrl");
        PARAMETERS.put(Setting.VERIFY_SAMPLE, "verifySample");
        PARAMETERS.put(Setting.VERIFY_TIMEOUT, "verifyTimeout");
        PARAMETERS.put(Setting.FAIL_ON_STALE, "failOnStale");
        PARAMETERS.put(Setting.ORIGIN_DOMAIN, "originDomain");
        PARAMETERS.put(Setting.CHECK_ORIGIN, "checkOrigin");
    }

    @Override
    public String name(Setting setting) {
        String p = PARAMETERS.get(setting);
        return p == null ? setting.description() : p + ":";
    }

    @Override
    public boolean offers(Setting setting) {
        return PARAMETERS.containsKey(setting);
    }

    @Override
    public String given(Setting setting, Object value) {
        return name(setting) + " " + groovy(value);
    }

    @Override
    public String on(Setting setting) {
        return name(setting) + " true";
    }

    /** A value as a script writes it: text in single quotes, numbers and booleans bare. */
    static String groovy(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return "'" + String.valueOf(value).replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String rollbackTo(String release) {
        return "cloudfrontRollback(target: …, to: " + groovy(release) + ")";
    }

    @Override
    public String listReleases() {
        return null;
    }

    @Override
    public String sameDeployAgain() {
        return "run the step again with the same release: (a new build's number would be a new release)";
    }

    @Override
    public String sameCommandAgain() {
        return "run the step again (a deploy with the same release:)";
    }

    @Override
    public String pinHostKey(String fingerprint, String knownHostsLine) {
        return "hostKeyVerification: manuallyProvidedKey(" + groovy(knownHostsLine) + ")";
    }

    @Override
    public String acceptNewHostKeys() {
        return "hostKeyVerification: acceptFirstConnection()";
    }

    @Override
    public String approvedHostKeys() {
        return "the step's hostKeyVerification: manuallyProvidedKey(…)";
    }

    @Override
    public String sshCredentials() {
        return "sshCredentialsId: the id of an \"SSH Username with private key\" or \"Username with password\""
                + " credential";
    }

    @Override
    public String passphrase() {
        return "in the credentials sshCredentialsId: names";
    }

    @Override
    public String awsCredentialSources() {
        return "awsCredentialsId:, or the agent's environment or instance role";
    }

    @Override
    public String awsCredentials() {
        return "the credentials awsCredentialsId: names";
    }
}
