package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the server's host key is checked; the names follow OpenSSH's StrictHostKeyChecking where they overlap. */
public enum HostKeyVerification {
    /** The key must already be in the known-hosts file (default). */
    STRICT,
    /** Trust on first use: an unknown host's key is accepted and appended to the known-hosts file; a changed key is refused. */
    ACCEPT_NEW,
    /** The key must have the given {@code SHA256:…} fingerprint. */
    FINGERPRINT,
    /** No check at all: only on explicit request, and warned about on every connection. */
    OFF;

    /** The option value: {@code strict}, {@code accept-new}, {@code fingerprint} or {@code off}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static HostKeyVerification parse(String value) {
        for (HostKeyVerification v : values()) {
            if (v.optionValue().equals(value)) {
                return v;
            }
        }
        throw new DeployException("unknown host key verification '" + value + "'; use one of "
                + Arrays.stream(values()).map(HostKeyVerification::optionValue).collect(Collectors.joining(", ")));
    }
}
