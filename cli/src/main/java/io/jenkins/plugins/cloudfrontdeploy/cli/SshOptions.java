package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.HostKeyVerification;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How to reach and trust the server: shared by every command that connects. Secrets come from environment variables
 * named on the command line, never from the command line itself (which other users can read in the process list).
 */
final class SshOptions {
    @Option(names = {"-i", "--identity"}, paramLabel = "FILE", description = "Private key file (OpenSSH or PEM).")
    Path identity;

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Environment variable holding the key's passphrase.")
    String passphraseEnv;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the SSH password.")
    String passwordEnv;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Known-hosts file (default: ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--host-key-verification", paramLabel = "MODE",
            description = "strict (default), accept-new, fingerprint or off.")
    String hostKeyVerification;

    @Option(names = "--host-key-fingerprint", paramLabel = "SHA256:...",
            description = "The server's expected host key fingerprint (implies --host-key-verification fingerprint).")
    String fingerprint;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Seconds to wait for the connection, and again for authentication (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--alive-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Send a keepalive the server must answer every SECONDS (as ssh's ServerAliveInterval;"
                    + " default: ${DEFAULT-VALUE}).")
    int aliveInterval;

    @Option(names = "--alive-count-max", paramLabel = "N", defaultValue = "2",
            description = "Keepalives left unanswered, nothing else heard from the server, before the connection"
                    + " counts as lost: a dead server is noticed within SECONDS × (N + 1) (default: ${DEFAULT-VALUE}).")
    int aliveCountMax;

    SshSettings settings() {
        HostKeyVerification mode;
        if (hostKeyVerification == null) {
            mode = fingerprint != null ? HostKeyVerification.FINGERPRINT : HostKeyVerification.STRICT;
        } else {
            try {
                mode = HostKeyVerification.parse(hostKeyVerification);
            } catch (RuntimeException e) {
                throw new Main.UsageError(e.getMessage());
            }
            if (fingerprint != null && mode != HostKeyVerification.FINGERPRINT) {
                throw new Main.UsageError("--host-key-fingerprint goes with --host-key-verification fingerprint, not "
                        + hostKeyVerification + "; drop one of them");
            }
        }
        if (connectTimeout < 1) {
            throw new Main.UsageError("--connect-timeout must be at least 1 second, not " + connectTimeout);
        }
        if (aliveInterval < 1) {
            throw new Main.UsageError("--alive-interval must be at least 1 second, not " + aliveInterval);
        }
        if (aliveCountMax < 1) {
            throw new Main.UsageError("--alive-count-max must be at least 1, not " + aliveCountMax);
        }
        return SshSettings.builder()
                .identityFile(identity)
                .passphrase(secret(passphraseEnv, "--passphrase-env"))
                .password(secret(passwordEnv, "--password-env"))
                .knownHostsFile(knownHosts)
                .hostKeyVerification(mode)
                .expectedFingerprint(fingerprint)
                .connectTimeout(Duration.ofSeconds(connectTimeout))
                .authTimeout(Duration.ofSeconds(connectTimeout))
                .aliveInterval(Duration.ofSeconds(aliveInterval))
                .aliveCountMax(aliveCountMax)
                .build();
    }

    private static char[] secret(String variable, String option) {
        String value = EnvironmentSecrets.read(variable, option);
        return value == null ? null : value.toCharArray();
    }
}
