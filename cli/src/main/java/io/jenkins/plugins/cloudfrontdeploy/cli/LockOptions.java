package io.jenkins.plugins.cloudfrontdeploy.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The deploy lock on each server: the same two options on every command that takes it. */
final class LockOptions {
    @Option(names = "--break-lock", description = "Remove a deploy lock left by a deploy that died (named in a warning).")
    boolean breakLock;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for another deploy to finish (default: ${DEFAULT-VALUE}).")
    long lockTimeoutSeconds;

    Duration lockTimeout() {
        return Duration.ofSeconds(lockTimeoutSeconds);
    }
}
