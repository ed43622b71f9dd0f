package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Checks the server's host key by the chosen {@link HostKeyVerification}, and remembers why it refused one: MINA
 * only reports a failed key exchange, and the user needs the offered fingerprint and the fix.
 */
final class HostKeyChecker implements ServerKeyVerifier {
    private final SshSettings settings;
    private final SshTarget target;
    private final ProgressListener listener;
    private final Vocabulary words;
    private final ServerKeyVerifier knownHosts;
    private volatile String refusal;

    HostKeyChecker(SshSettings settings, SshTarget target, ProgressListener listener) {
        this.settings = settings;
        this.target = target;
        this.listener = listener;
        this.words = settings.vocabulary();
        this.knownHosts = switch (settings.hostKeyVerification()) {
            case STRICT -> new RecordingKnownHosts(RejectAllServerKeyVerifier.INSTANCE, settings.knownHostsFile());
            case ACCEPT_NEW -> new RecordingKnownHosts(AcceptAllServerKeyVerifier.INSTANCE, settings.knownHostsFile());
            default -> null;
        };
    }

    /** Why the last key was refused, with the fix; {@code null} if none was. */
    String refusal() {
        return refusal;
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    private static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + fingerprint(key);
    }

    /** The key as a known_hosts line for this target, as approved host keys are given. */
    private String knownHostsLine(PublicKey key) {
        return hostPattern() + " " + PublicKeyEntry.toString(key);
    }

    private String hostPattern() {
        return target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        switch (settings.hostKeyVerification()) {
            case OFF:
                listener.warning("HOST KEY VERIFICATION IS OFF for " + target.hostAndPort() + " (it offered "
                        + describe(serverKey) + "): anyone between this machine and the server can impersonate it."
                        + " Use " + words.pinHostKey(fingerprint(serverKey), knownHostsLine(serverKey)) + " instead.");
                return true;
            case FINGERPRINT:
                String offered = fingerprint(serverKey);
                if (sameFingerprint(offered, settings.expectedFingerprint())) {
                    return true;
                }
                refusal = "the host key of " + target.hostAndPort() + " does not match: the server offered "
                        + describe(serverKey) + " but " + settings.expectedFingerprint() + " was expected. If the"
                        + " server's key was replaced on purpose, update the expected fingerprint; otherwise do not"
                        + " connect: this may be an attack";
                return false;
            default:
                return knownHosts.verifyServerKey(session, remoteAddress, serverKey);
        }
    }

    /** Base64 fingerprints with and without '=' padding name the same key. */
    private static boolean sameFingerprint(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String fp) {
        return fp.replaceAll("=+$", "");
    }

    /** MINA's known_hosts verifier (hashed entries, [host]:port, markers), recording refusals and additions. */
    private final class RecordingKnownHosts extends KnownHostsServerKeyVerifier {
        RecordingKnownHosts(ServerKeyVerifier delegate, Path file) {
            super(delegate, file);
        }

        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
            Path file = getPath();
            if (settings.hostKeyVerification() == HostKeyVerification.ACCEPT_NEW) {
                try {
                    Path parent = file.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                } catch (IOException e) {
                    refusal = "cannot create the folder of the known-hosts file " + file + ": " + e.getMessage();
                    return false;
                }
            }
            boolean accepted = super.acceptUnknownHostKey(session, remote, serverKey);
            if (accepted) {
                listener.warning("trusting " + target.hostAndPort() + " on first use: added its key "
                        + describe(serverKey) + " to " + file);
            } else if (settings.approvedHostKeys()) {
                // the file was written from the configuration for this run: the fix is made there
                refusal = "the host key of " + target.hostAndPort() + " is not among the approved host keys: the"
                        + " server offered " + describe(serverKey) + ". Check the fingerprint with the server's"
                        + " administrator, then add its line (" + knownHostsLine(serverKey) + ") to "
                        + words.approvedHostKeys();
            } else {
                refusal = "the host key of " + target.hostAndPort() + " is not known: the server offered "
                        + describe(serverKey) + ", and " + file + " has no entry for it. Check the fingerprint with"
                        + " the server's administrator, then add it (ssh-keyscan -p " + target.port() + " "
                        + target.host() + " >> " + file + "), or use "
                        + words.pinHostKey(fingerprint(serverKey), knownHostsLine(serverKey)) + ", or "
                        + words.acceptNewHostKeys() + " to trust it on first use";
            }
            return accepted;
        }

        @Override
        public boolean acceptModifiedServerKey(
                ClientSession session, SocketAddress remote, KnownHostEntry entry, PublicKey expected,
                PublicKey actual) {
            if (settings.approvedHostKeys()) {
                refusal = "the host key of " + target.hostAndPort() + " HAS CHANGED: the server offered "
                        + describe(actual) + " but the approved host keys have " + describe(expected) + " for it."
                        + " This may be an attack. If the server's key was replaced on purpose, update the key in "
                        + words.approvedHostKeys();
                return false;
            }
            refusal = "the host key of " + target.hostAndPort() + " HAS CHANGED: the server offered "
                    + describe(actual) + " but " + getPath() + " has " + describe(expected) + " for it. This may be"
                    + " an attack. If the server's key was replaced on purpose, remove the old entry (ssh-keygen -R '"
                    + hostPattern() + "' -f " + getPath() + ") and connect again";
            return false;
        }

        @Override
        protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
            refusal = "the host key of " + target.hostAndPort() + " (" + describe(serverKey) + ") is marked"
                    + " @revoked in " + (settings.approvedHostKeys() ? words.approvedHostKeys() : getPath())
                    + "; do not connect";
        }
    }
}
