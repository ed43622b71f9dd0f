package io.jenkins.plugins.cloudfrontdeploy.engine;

import java.io.Serializable;

/**
 * The words of the front end a request came from: how each option is written there, and the few remedies that are
 * commands. An engine message names its fix as the user will apply it: {@code --source} on the command line,
 * {@code source:} in a Pipeline, the field's label in a form, never another front end's spelling.
 *
 * <p>A front end may lack an option (Jenkins has no {@code --max-deletes}); {@link #name} then gives a plain
 * description of it, and a message whose fix needs the option asks {@link #offers} first and leaves that fix out.
 */
public interface Vocabulary extends Serializable {
    /** The {@code cloudfront-deploy} command line. */
    Vocabulary CLI = CliVocabulary.INSTANCE;
    /** The {@code cloudfrontDeploy} Pipeline step: its parameter names. */
    Vocabulary PIPELINE = PipelineVocabulary.INSTANCE;
    /** The freestyle build step's form: its field labels. */
    Vocabulary FORM = FormVocabulary.INSTANCE;

    /** The engine's user-facing options, whatever a front end calls them. */
    enum Setting {
        SOURCE("the source folder"),
        TARGET("the target"),
        RELEASE("the release name"),
        EXCLUDE("the exclude patterns"),
        REPORT_DIR("the report folder"),
        RELEASES_DIR("the releases folder"),
        KEEP("the number of releases to keep"),
        KEEP_REMOVED("the number of deploys removed files are kept for"),
        INVALIDATE_EXPIRED("invalidating expired files"),
        MAX_DELETES("the limit on deleted files"),
        LOCK_TIMEOUT("the lock timeout"),
        BREAK_LOCK("breaking the lock"),
        ALLOW_DIVERGENT("deploying to hosts that serve different releases"),
        ALLOW_EXTERNAL_LINKS("deploying links that lead outside the build"),
        VERIFY_REMOTE("hashing the live release on the server"),
        DRY_RUN("a dry run"),
        DISTRIBUTION("the distribution ID"),
        URL_PREFIX("the URL prefix"),
        INDEX_DOCUMENT("the index documents"),
        INVALIDATE_ADDED("invalidating added files"),
        MODE("the invalidation mode"),
        MAX_COLLATERAL("the collateral allowed"),
        BATCH_SIZE("the batch size"),
        WAIT("waiting for the invalidations"),
        WAIT_TIMEOUT("the wait timeout"),
        IDENTITY("the private key"),
        PASSPHRASE("the key's passphrase"),
        PASSWORD("the password"),
        KNOWN_HOSTS("the known-hosts file"),
        HOST_KEY_VERIFICATION("the host key verification"),
        HOST_KEY_FINGERPRINT("the expected host key fingerprint"),
        ALIVE_INTERVAL("the keepalive interval"),
        ALIVE_COUNT_MAX("the number of unanswered keepalives allowed"),
        AWS_CREDENTIALS("the AWS credentials"),
        PROFILE("the AWS profile"),
        ROLE_ARN("the role to assume"),
        EXTERNAL_ID("the role's external ID"),
        ENDPOINT("the CloudFront endpoint"),
        ROLLBACK_TO("the release to roll back to"),
        VERIFY_URL("the address the edge is checked at"),
        VERIFY_SAMPLE("the number of unchanged URLs checked at the edge"),
        VERIFY_TIMEOUT("the edge check's timeout"),
        FAIL_ON_STALE("failing when the edge serves stale URLs"),
        ORIGIN_DOMAIN("the origin domains"),
        CHECK_ORIGIN("failing when the distribution does not serve the target");

        private final String description;

        Setting(String description) {
            this.description = description;
        }

        /** What the option is, in words: for a front end that does not offer it. */
        public String description() {
            return description;
        }
    }

    /** The option as the user writes it ({@code --keep}, {@code keepReleases:}, {@code "Releases to keep"}). */
    String name(Setting setting);

    /** Whether the user can set this option in this front end. */
    boolean offers(Setting setting);

    /** The option with a value, as the user would write it ({@code --keep 1}, {@code keepReleases: 1}). */
    String given(Setting setting, Object value);

    /** A switch turned on ({@code --break-lock}, {@code breakLock: true}, {@code "Break lock" ticked}). */
    String on(Setting setting);

    /** How to make an earlier release live again ({@code cloudfront-deploy rollback --to 1.0.4}). */
    String rollbackTo(String release);

    /** The command that lists a site's releases, or {@code null} when this front end has none. */
    String listReleases();

    /** How to repeat a deploy so that it resumes from its journal: same release, same targets. */
    String sameDeployAgain();

    /** How to repeat whatever was run (deploy, rollback or invalidation), so that it resumes. */
    String sameCommandAgain();

    /** The fix for a lock whose deploy died ({@code run again with --break-lock}). */
    default String breakLock(String lockPath, String host) {
        return offers(Setting.BREAK_LOCK)
                ? "run again with " + on(Setting.BREAK_LOCK)
                : "remove it by hand (rm -r " + lockPath + " on " + host + ") and run again";
    }

    /**
     * How to remove the partial copy a failed deploy left ({@code cloudfront-deploy releases --prune-partial}); a
     * front end without that command says how to remove it by hand.
     *
     * @param target the production link, as the user gave it
     * @param releasePath the partial release folder on the server
     */
    default String prunePartial(String target, String releasePath) {
        return "rm -rf -- " + releasePath + " on the server";
    }

    /** How to trust exactly this host key from now on, by its fingerprint or its known_hosts line. */
    String pinHostKey(String fingerprint, String knownHostsLine);

    /** How to trust a host's key on first use. */
    String acceptNewHostKeys();

    /** Where host keys approved in the configuration (not in a known-hosts file) are kept. */
    String approvedHostKeys();

    /** How to give SSH credentials. */
    String sshCredentials();

    /** Where an encrypted key's passphrase is given. */
    String passphrase();

    /** Where AWS credentials come from, for a failure to find or use them. */
    String awsCredentialSources();

    /** The AWS credentials to check when AWS refuses them. */
    String awsCredentials();
}
