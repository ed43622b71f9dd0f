package io.jenkins.plugins.cloudfrontdeploy.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The deploy lock on each server: the same two options on every command that takes it. */
final class LockOptions {
    @Option(names = "--break-lock", description = "Remove the deploy lock another deploy holds (named in a warning)."
            + " A lock whose deploy is provably gone (same machine, process ended) is taken over without this; a"
            + " deploy whose lock is broken while it still runs stops before changing production.")
    boolean breakLock;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for another deploy to finish (default: ${DEFAULT-VALUE}).")
    long lockTimeoutSeconds;

    Duration lockTimeout() {
        return Duration.ofSeconds(lockTimeoutSeconds);
    }
}
