package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.kex.extension.KexExtensions;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

/**
 * The algorithms the client offers: what current OpenSSH's {@code ssh} offers by default, and nothing weaker. MINA's
 * own defaults add {@code ssh-rsa} (SHA-1 signatures), AES-CBC and {@code hmac-sha1}; a server that offers only
 * such is refused, as OpenSSH refuses it, with one line naming what it offered. Strict KEX (the Terrapin fix) is
 * MINA's own and stays on: it is negotiated by the session whatever the lists hold.
 */
final class AlgorithmPolicy {
    /** In OpenSSH's order of preference; the post-quantum hybrids are offered where the JVM can do them. */
    static final List<BuiltinDHFactories> KEX = List.of(
            BuiltinDHFactories.mlkem768x25519,
            BuiltinDHFactories.sntrup761x25519,
            BuiltinDHFactories.sntrup761x25519_openssh,
            BuiltinDHFactories.curve25519,
            BuiltinDHFactories.curve25519_libssh,
            BuiltinDHFactories.ecdhp256,
            BuiltinDHFactories.ecdhp384,
            BuiltinDHFactories.ecdhp521,
            BuiltinDHFactories.dhgex256,
            BuiltinDHFactories.dhg16_512,
            BuiltinDHFactories.dhg18_512,
            BuiltinDHFactories.dhg14_256);

    /** Host keys and signatures: no ssh-rsa (SHA-1), no DSA. Also what our own key may sign with. */
    static final List<BuiltinSignatures> SIGNATURES = List.of(
            BuiltinSignatures.ed25519_cert,
            BuiltinSignatures.nistp256_cert,
            BuiltinSignatures.nistp384_cert,
            BuiltinSignatures.nistp521_cert,
            BuiltinSignatures.rsaSHA512_cert,
            BuiltinSignatures.rsaSHA256_cert,
            BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256,
            BuiltinSignatures.nistp384,
            BuiltinSignatures.nistp521,
            BuiltinSignatures.sk_ssh_ed25519,
            BuiltinSignatures.sk_ecdsa_sha2_nistp256,
            BuiltinSignatures.rsaSHA512,
            BuiltinSignatures.rsaSHA256);

    /** No CBC, no 3DES, no arcfour. */
    static final List<BuiltinCiphers> CIPHERS = List.of(
            BuiltinCiphers.cc20p1305_openssh,
            BuiltinCiphers.aes128ctr,
            BuiltinCiphers.aes192ctr,
            BuiltinCiphers.aes256ctr,
            BuiltinCiphers.aes128gcm,
            BuiltinCiphers.aes256gcm);

    /** Encrypt-then-MAC first; no SHA-1, no MD5 (OpenSSH still offers hmac-sha1, this tool does not). */
    static final List<BuiltinMacs> MACS = List.of(
            BuiltinMacs.hmacsha256etm,
            BuiltinMacs.hmacsha512etm,
            BuiltinMacs.hmacsha256,
            BuiltinMacs.hmacsha512);

    private AlgorithmPolicy() {}

    /** A client offering only these algorithms (those this JVM supports). */
    static SshClient newClient() {
        List<KeyExchangeFactory> kex = supported(KEX).stream().map(ClientBuilder.DH2KEX).collect(Collectors.toList());
        List<NamedFactory<Signature>> signatures = new ArrayList<>(supported(SIGNATURES));
        List<NamedFactory<Cipher>> ciphers = new ArrayList<>(supported(CIPHERS));
        List<NamedFactory<Mac>> macs = new ArrayList<>(supported(MACS));
        return ClientBuilder.builder()
                .keyExchangeFactories(kex)
                .signatureFactories(signatures)
                .cipherFactories(ciphers)
                .macFactories(macs)
                .build();
    }

    private static <T extends OptionalFeature> List<T> supported(List<T> preferred) {
        return preferred.stream().filter(OptionalFeature::isSupported).collect(Collectors.toList());
    }

    /** Remembers why negotiation failed, in words a server's admin can act on; MINA only says it failed. */
    static final class NegotiationRecorder implements SessionListener {
        private final String where;
        private volatile String refusal;

        NegotiationRecorder(String where) {
            this.where = where;
        }

        /** Why the server's algorithms were refused, with the fix; {@code null} if they were not. */
        String refusal() {
            return refusal;
        }

        @Override
        public void sessionNegotiationEnd(Session session, Map<KexProposalOption, String> clientProposal,
                Map<KexProposalOption, String> serverProposal, Map<KexProposalOption, String> negotiatedOptions,
                Throwable reason) {
            if (reason == null) {
                return;
            }
            // MINA fills the negotiated options in this order and stops at the first kind it cannot agree on
            for (KexProposalOption kind : KexProposalOption.VALUES) {
                if (KexProposalOption.LANGUAGE_PROPOSALS.contains(kind) || negotiatedOptions.get(kind) != null) {
                    continue;
                }
                refusal = AlgorithmPolicy.refusal(where, kind, offered(serverProposal.get(kind)));
                return;
            }
        }

        private static List<String> offered(String proposal) {
            return Arrays.stream(proposal == null ? new String[0] : proposal.split(","))
                    .map(String::trim)
                    .filter(name -> !name.isEmpty() && !KexExtensions.IS_KEX_EXTENSION_SIGNAL.test(name)
                            && !name.equals(KexExtensions.STRICT_KEX_SERVER_EXTENSION))
                    .collect(Collectors.toList());
        }
    }

    /** The one line for a server that offers only {@code offered} for {@code kind}. */
    static String refusal(String where, KexProposalOption kind, List<String> offered) {
        String names = offered.isEmpty() ? "nothing"
                : offered.stream().map(AlgorithmPolicy::withWeakness).collect(Collectors.joining(", "));
        String head = where + " offers only " + names;
        return switch (kind) {
            case SERVERKEYS -> head + " host key signatures, which this tool refuses as OpenSSH does; give the server"
                    + " an ed25519 or ECDSA host key (ssh-keygen -A), or enable rsa-sha2-512/rsa-sha2-256 (OpenSSH 7.2"
                    + " or later signs with them)";
            case ALGORITHMS -> head + " key exchanges, which this tool refuses as OpenSSH does; enable"
                    + " curve25519-sha256 or ecdh-sha2-nistp256 in the server's KexAlgorithms";
            case C2SENC, S2CENC -> head + " ciphers, which this tool refuses as OpenSSH does; enable"
                    + " chacha20-poly1305@openssh.com, aes128-gcm@openssh.com or aes128-ctr in the server's Ciphers";
            case C2SMAC, S2CMAC -> head + " MACs, which this tool refuses as too weak; enable"
                    + " hmac-sha2-256-etm@openssh.com or hmac-sha2-256 in the server's MACs";
            default -> head + " " + kind.getDescription() + ", none of which this tool offers";
        };
    }

    /** The name, with why it is refused when the name alone does not say. */
    private static String withWeakness(String name) {
        return switch (name) {
            case "ssh-rsa", "ssh-rsa-cert-v01@openssh.com", "hmac-sha1", "hmac-sha1-etm@openssh.com",
                    "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
                    "diffie-hellman-group-exchange-sha1" -> name + " (SHA-1)";
            case "ssh-dss", "ssh-dss-cert-v01@openssh.com" -> name + " (DSA)";
            default -> name;
        };
    }
}
