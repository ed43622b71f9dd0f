package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code cloudfront-deploy} command line's words: its option names and commands. The only place in the engine
 * that spells an option {@code --like-this}.
 */
enum CliVocabulary implements Vocabulary {
    INSTANCE;

    private static final Map<Setting, String> NAMES = new EnumMap<>(Setting.class);

    static {
        NAMES.put(Setting.SOURCE, "--source");
        NAMES.put(Setting.TARGET, "--target");
        NAMES.put(Setting.RELEASE, "--release");
        NAMES.put(Setting.EXCLUDE, "--exclude");
        NAMES.put(Setting.REPORT_DIR, "--report-dir");
        NAMES.put(Setting.RELEASES_DIR, "--releases-dir");
        NAMES.put(Setting.KEEP, "--keep");
        NAMES.put(Setting.KEEP_REMOVED, "--keep-removed");
        NAMES.put(Setting.INVALIDATE_EXPIRED, "--invalidate-expired");
        NAMES.put(Setting.MAX_DELETES, "--max-deletes");
        NAMES.put(Setting.LOCK_TIMEOUT, "--lock-timeout");
        NAMES.put(Setting.BREAK_LOCK, "--break-lock");
        NAMES.put(Setting.ALLOW_DIVERGENT, "--allow-divergent");
        NAMES.put(Setting.ALLOW_EXTERNAL_LINKS, "--allow-external-links");
        NAMES.put(Setting.VERIFY_REMOTE, "--verify-remote");
        NAMES.put(Setting.DRY_RUN, "--dry-run");
        NAMES.put(Setting.DISTRIBUTION, "--distribution");
        NAMES.put(Setting.URL_PREFIX, "--url-prefix");
        NAMES.put(Setting.INDEX_DOCUMENT, "--index-document");
        NAMES.put(Setting.INVALIDATE_ADDED, "--invalidate-added");
        NAMES.put(Setting.MODE, "--mode");
        NAMES.put(Setting.MAX_COLLATERAL, "--max-collateral");
        NAMES.put(Setting.BATCH_SIZE, "--batch-size");
        NAMES.put(Setting.WAIT, "--wait");
        NAMES.put(Setting.WAIT_TIMEOUT, "--wait-timeout");
        NAMES.put(Setting.IDENTITY, "--identity");
        NAMES.put(Setting.PASSPHRASE, "--passphrase-env");
        NAMES.put(Setting.PASSWORD, "--password-env");
        NAMES.put(Setting.KNOWN_HOSTS, "--known-hosts");
        NAMES.put(Setting.HOST_KEY_VERIFICATION, "--host-key-verification");
        NAMES.put(Setting.HOST_KEY_FINGERPRINT, "--host-key-fingerprint");
        NAMES.put(Setting.ALIVE_INTERVAL, "--alive-interval");
        NAMES.put(Setting.ALIVE_COUNT_MAX, "--alive-count-max");
        NAMES.put(Setting.AWS_CREDENTIALS, "--access-key-env");
        NAMES.put(Setting.PROFILE, "--profile");
        NAMES.put(Setting.ROLE_ARN, "--role-arn");
        NAMES.put(Setting.EXTERNAL_ID, "--external-id");
        NAMES.put(Setting.ENDPOINT, "--endpoint-url");
        NAMES.put(Setting.ROLLBACK_TO, "--to");
        NAMES.put(Setting.VERIFY_URL, "--verify-url");
        NAMES.put(Setting.VERIFY_SAMPLE, "--verify-sample");
        NAMES.put(Setting.VERIFY_TIMEOUT, "--verify-timeout");
        NAMES.put(Setting.FAIL_ON_STALE, "--fail-on-stale");
        NAMES.put(Setting.ORIGIN_DOMAIN, "--origin-domain");
        NAMES.put(Setting.CHECK_ORIGIN, "--check-origin");
    }

    @Override
    public String name(Setting setting) {
        return NAMES.get(setting);
    }

    @Override
    public boolean offers(Setting setting) {
        return NAMES.containsKey(setting);
    }

    @Override
    public String given(Setting setting, Object value) {
        String text = String.valueOf(value);
        // quoted only where a shell would otherwise change it, so that the line can be pasted
        return name(setting) + " " + (text.matches("[A-Za-z0-9_@%+=:,./-]+") ? text : ShellQuote.quote(text));
    }

    @Override
    public String on(Setting setting) {
        return name(setting);
    }

    @Override
    public String rollbackTo(String release) {
        return "cloudfront-deploy rollback " + given(Setting.ROLLBACK_TO, release);
    }

    @Override
    public String listReleases() {
        return "cloudfront-deploy releases";
    }

    @Override
    public String sameDeployAgain() {
        return "run the same deploy again";
    }

    @Override
    public String sameCommandAgain() {
        return "run the same command again";
    }

    @Override
    public String prunePartial(String target, String releasePath) {
        return listReleases() + " " + given(Setting.TARGET, target) + " --prune-partial";
    }

    @Override
    public String pinHostKey(String fingerprint, String knownHostsLine) {
        return given(Setting.HOST_KEY_FINGERPRINT, fingerprint);
    }

    @Override
    public String acceptNewHostKeys() {
        return given(Setting.HOST_KEY_VERIFICATION, "accept-new");
    }

    @Override
    public String approvedHostKeys() {
        return "the approved host keys";
    }

    @Override
    public String sshCredentials() {
        return "a private key (" + name(Setting.IDENTITY) + " FILE) or a password (" + name(Setting.PASSWORD)
                + " VAR)";
    }

    @Override
    public String passphrase() {
        return name(Setting.PASSPHRASE) + " VAR";
    }

    @Override
    public String awsCredentialSources() {
        return "environment, " + name(Setting.PROFILE) + ", or an instance role";
    }

    @Override
    public String awsCredentials() {
        return "the access key, the profile (" + name(Setting.PROFILE) + ")";
    }
}
