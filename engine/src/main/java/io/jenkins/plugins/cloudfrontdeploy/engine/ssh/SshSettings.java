package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * How to authenticate to and trust an SSH server. Immutable. Secrets (key text, passphrase, password) are held as
 * char arrays, copied in and out, and never appear in {@link #toString()}.
 */
public final class SshSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    /** With {@link #DEFAULT_ALIVE_COUNT_MAX}: a dead server is noticed within 30 seconds. */
    public static final Duration DEFAULT_ALIVE_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_ALIVE_COUNT_MAX = 2;

    private final String identityFile;
    private final char[] identityText;
    private final char[] passphrase;
    private final char[] password;
    private final String knownHostsFile;
    private final boolean approvedHostKeys;
    private final HostKeyVerification hostKeyVerification;
    private final String expectedFingerprint;
    private final Duration connectTimeout;
    private final Duration authTimeout;
    private final Duration commandTimeout;
    private final Duration aliveInterval;
    private final int aliveCountMax;
    private final Vocabulary vocabulary;

    private SshSettings(Builder b) {
        this.identityFile = b.identityFile;
        this.identityText = copy(b.identityText);
        this.passphrase = copy(b.passphrase);
        this.password = copy(b.password);
        this.knownHostsFile = b.knownHostsFile;
        this.approvedHostKeys = b.approvedHostKeys;
        this.hostKeyVerification = b.hostKeyVerification;
        this.expectedFingerprint = b.expectedFingerprint;
        this.connectTimeout = b.connectTimeout;
        this.authTimeout = b.authTimeout;
        this.commandTimeout = b.commandTimeout;
        this.aliveInterval = b.aliveInterval;
        this.aliveCountMax = b.aliveCountMax;
        this.vocabulary = b.vocabulary;
        if (aliveInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new DeployException(vocabulary().name(Vocabulary.Setting.ALIVE_INTERVAL) + " must be at least 1"
                    + " second, not " + aliveInterval.toSeconds());
        }
        if (aliveCountMax < 1) {
            throw new DeployException(vocabulary().name(Vocabulary.Setting.ALIVE_COUNT_MAX) + " must be at least 1,"
                    + " not " + aliveCountMax);
        }
        if (hostKeyVerification == HostKeyVerification.FINGERPRINT) {
            if (expectedFingerprint == null || !expectedFingerprint.startsWith("SHA256:")) {
                throw new DeployException("host key verification 'fingerprint' needs the expected fingerprint as"
                        + " SHA256:… (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server prints it);"
                        + " got " + (expectedFingerprint == null ? "none" : "'" + expectedFingerprint + "'"));
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path identityFile() {
        return identityFile == null ? null : Path.of(identityFile);
    }

    public char[] identityText() {
        return copy(identityText);
    }

    public char[] passphrase() {
        return copy(passphrase);
    }

    public char[] password() {
        return copy(password);
    }

    /** The known-hosts file: the given one, else {@code ~/.ssh/known_hosts}. */
    public Path knownHostsFile() {
        return knownHostsFile != null
                ? Path.of(knownHostsFile)
                : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /**
     * Whether the known-hosts file holds keys approved in the front end's configuration, written out for this run:
     * a refused key is then fixed there, not in the file.
     */
    public boolean approvedHostKeys() {
        return approvedHostKeys;
    }

    public HostKeyVerification hostKeyVerification() {
        return hostKeyVerification;
    }

    public String expectedFingerprint() {
        return expectedFingerprint;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration authTimeout() {
        return authTimeout;
    }

    /** The longest a single remote command may run. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How often a keepalive that the server must answer is sent. */
    public Duration aliveInterval() {
        return aliveInterval != null ? aliveInterval : DEFAULT_ALIVE_INTERVAL; // null: deserialized from before
    }

    /** Keepalives left unanswered (nothing at all heard from the server) before the connection counts as lost. */
    public int aliveCountMax() {
        return aliveCountMax > 0 ? aliveCountMax : DEFAULT_ALIVE_COUNT_MAX;
    }

    /** The longest the server may stay silent before the connection counts as lost. */
    public Duration aliveTimeout() {
        return aliveInterval().multipliedBy(aliveCountMax() + 1L);
    }

    /** How the front end names the options, for the messages. */
    public Vocabulary vocabulary() {
        return vocabulary != null ? vocabulary : Vocabulary.CLI; // null: deserialized from before it was kept
    }

    /** These settings, with messages in another front end's words. */
    public SshSettings withVocabulary(Vocabulary other) {
        if (other == vocabulary) {
            return this;
        }
        Builder b = new Builder();
        b.identityFile = identityFile;
        b.identityText = identityText;
        b.passphrase = passphrase;
        b.password = password;
        b.knownHostsFile = knownHostsFile;
        b.approvedHostKeys = approvedHostKeys;
        b.hostKeyVerification = hostKeyVerification;
        b.expectedFingerprint = expectedFingerprint;
        b.connectTimeout = connectTimeout;
        b.authTimeout = authTimeout;
        b.commandTimeout = commandTimeout;
        b.aliveInterval = aliveInterval();
        b.aliveCountMax = aliveCountMax();
        return b.vocabulary(other).build();
    }

    @Override
    public String toString() {
        return "SshSettings[identityFile=" + identityFile + ", identityText=" + (identityText != null ? "****" : "none")
                + ", passphrase=" + (passphrase != null ? "****" : "none")
                + ", password=" + (password != null ? "****" : "none")
                + ", knownHosts=" + knownHostsFile() + ", hostKeyVerification=" + hostKeyVerification.optionValue()
                + "]";
    }

    private static char[] copy(char[] c) {
        return c == null ? null : Arrays.copyOf(c, c.length);
    }

    /** Collects settings; every field is optional. */
    public static final class Builder {
        private String identityFile;
        private char[] identityText;
        private char[] passphrase;
        private char[] password;
        private String knownHostsFile;
        private boolean approvedHostKeys;
        private HostKeyVerification hostKeyVerification = HostKeyVerification.STRICT;
        private String expectedFingerprint;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration authTimeout = Duration.ofSeconds(15);
        private Duration commandTimeout = Duration.ofMinutes(30);
        private Duration aliveInterval = DEFAULT_ALIVE_INTERVAL;
        private int aliveCountMax = DEFAULT_ALIVE_COUNT_MAX;
        private Vocabulary vocabulary = Vocabulary.CLI;

        public Builder identityFile(Path file) {
            this.identityFile = file == null ? null : file.toString();
            return this;
        }

        /** A private key in OpenSSH or PEM format, as text (from a Jenkins credential, say). */
        public Builder identityText(char[] text) {
            this.identityText = copy(text);
            return this;
        }

        public Builder passphrase(char[] passphrase) {
            this.passphrase = copy(passphrase);
            return this;
        }

        public Builder password(char[] password) {
            this.password = copy(password);
            return this;
        }

        public Builder knownHostsFile(Path file) {
            this.knownHostsFile = file == null ? null : file.toString();
            this.approvedHostKeys = false;
            return this;
        }

        /** A known-hosts file written from host keys approved in the front end's configuration. */
        public Builder approvedHostKeysFile(Path file) {
            knownHostsFile(file);
            this.approvedHostKeys = file != null;
            return this;
        }

        public Builder hostKeyVerification(HostKeyVerification v) {
            this.hostKeyVerification = v;
            return this;
        }

        public Builder expectedFingerprint(String fingerprint) {
            this.expectedFingerprint = fingerprint;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder authTimeout(Duration d) {
            this.authTimeout = d;
            return this;
        }

        public Builder commandTimeout(Duration d) {
            this.commandTimeout = d;
            return this;
        }

        /**
         * How often a keepalive is sent that the server must answer, as OpenSSH's {@code ServerAliveInterval}
         * ({@code null}: the default, 10 s).
         */
        public Builder aliveInterval(Duration d) {
            this.aliveInterval = d != null ? d : DEFAULT_ALIVE_INTERVAL;
            return this;
        }

        /**
         * How many keepalives may go unanswered, nothing else heard from the server either, before the connection
         * counts as lost, as OpenSSH's {@code ServerAliveCountMax} ({@code null}: the default, 2): a dead server is
         * noticed within interval × (count + 1).
         */
        public Builder aliveCountMax(Integer n) {
            this.aliveCountMax = n != null ? n : DEFAULT_ALIVE_COUNT_MAX;
            return this;
        }

        /** The front end's words for the messages (default: the command line's). */
        public Builder vocabulary(Vocabulary v) {
            this.vocabulary = v != null ? v : Vocabulary.CLI;
            return this;
        }

        public SshSettings build() {
            return new SshSettings(this);
        }
    }
}
