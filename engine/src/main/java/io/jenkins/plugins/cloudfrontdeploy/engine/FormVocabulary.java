package io.jenkins.plugins.cloudfrontdeploy.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * The freestyle build step's words: the labels its form shows (the plugin's test holds them to its
 * {@code config.jelly}), in double quotes. Options the form lacks have no label here.
 */
enum FormVocabulary implements Vocabulary {
    INSTANCE;

    private static final Map<Setting, String> LABELS = new EnumMap<>(Setting.class);

    static {
        LABELS.put(Setting.SOURCE, "Source folder");
        LABELS.put(Setting.TARGET, "Production links");
        LABELS.put(Setting.RELEASE, "Release");
        LABELS.put(Setting.EXCLUDE, "Excludes");
        LABELS.put(Setting.REPORT_DIR, "Report folder");
        LABELS.put(Setting.KEEP, "Releases to keep");
        LABELS.put(Setting.KEEP_REMOVED, "Keep removed files for (deploys)");
        LABELS.put(Setting.INVALIDATE_EXPIRED, "Invalidate expired files");
        LABELS.put(Setting.DRY_RUN, "Dry run");
        LABELS.put(Setting.DISTRIBUTION, "CloudFront distribution IDs");
        LABELS.put(Setting.URL_PREFIX, "URL prefix");
        LABELS.put(Setting.INDEX_DOCUMENT, "Index documents");
        LABELS.put(Setting.INVALIDATE_ADDED, "Invalidate added files");
        LABELS.put(Setting.MODE, "Invalidation mode");
        LABELS.put(Setting.MAX_COLLATERAL, "Collateral allowed");
        LABELS.put(Setting.WAIT, "Wait for the invalidations to complete");
        LABELS.put(Setting.WAIT_TIMEOUT, "Wait timeout (minutes)");
        LABELS.put(Setting.IDENTITY, "SSH credentials");
        LABELS.put(Setting.PASSPHRASE, "SSH credentials");
        LABELS.put(Setting.PASSWORD, "SSH credentials");
        LABELS.put(Setting.KNOWN_HOSTS, "Host key verification");
        LABELS.put(Setting.HOST_KEY_VERIFICATION, "Host key verification");
        LABELS.put(Setting.AWS_CREDENTIALS, "AWS credentials");
        LABELS.put(Setting.ROLE_ARN, "IAM role to assume");
        LABELS.put(Setting.LOCK_TIMEOUT, "Lock timeout (minutes)");
        LABELS.put(Setting.ALIVE_INTERVAL, "Keepalive interval (seconds)");
        LABELS.put(Setting.ALIVE_COUNT_MAX, "Keepalive count max");
        LABELS.put(Setting.BREAK_LOCK, "Break the deploy lock");
        LABELS.put(Setting.ALLOW_EXTERNAL_LINKS, "Allow links outside the build");
        LABELS.put(Setting.VERIFY_URL, "Verify at URL");
        LABELS.put(Setting.VERIFY_SAMPLE, "URLs sampled");
        LABELS.put(Setting.VERIFY_TIMEOUT, "Verify timeout");
        LABELS.put(Setting.FAIL_ON_STALE, "Fail if the edge serves stale URLs");
        LABELS.put(Setting.ORIGIN_DOMAIN, "Origin domains");
        LABELS.put(Setting.CHECK_ORIGIN, "Fail if the distribution does not serve the target");
    }

    @Override
    public String name(Setting setting) {
        String label = LABELS.get(setting);
        return label == null ? setting.description() : "\"" + label + "\"";
    }

    @Override
    public boolean offers(Setting setting) {
        return LABELS.containsKey(setting);
    }

    @Override
    public String given(Setting setting, Object value) {
        return name(setting) + ": " + value;
    }

    @Override
    public String on(Setting setting) {
        return name(setting) + " ticked";
    }

    @Override
    public String rollbackTo(String release) {
        return "a CloudFront rollback build step to release " + release;
    }

    @Override
    public String listReleases() {
        return null;
    }

    @Override
    public String sameDeployAgain() {
        return "build again with the same \"Release\" (a new build's number would be a new release)";
    }

    @Override
    public String sameCommandAgain() {
        return "build again (a deploy with the same \"Release\")";
    }

    @Override
    public String pinHostKey(String fingerprint, String knownHostsLine) {
        return "\"Host key verification\" set to \"Manually provided keys\" with the line " + knownHostsLine;
    }

    @Override
    public String acceptNewHostKeys() {
        return "\"Host key verification\" set to \"Accept first connection\"";
    }

    @Override
    public String approvedHostKeys() {
        return "the job's host key setting (\"Host key verification\", \"Approved host keys\")";
    }

    @Override
    public String sshCredentials() {
        return "\"SSH credentials\": an \"SSH Username with private key\" or \"Username with password\" credential";
    }

    @Override
    public String passphrase() {
        return "in the \"SSH credentials\"";
    }

    @Override
    public String awsCredentialSources() {
        return "\"AWS credentials\", or the agent's environment or instance role";
    }

    @Override
    public String awsCredentials() {
        return "the \"AWS credentials\"";
    }
}
