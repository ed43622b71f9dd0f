package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import static org.hamcrest.CoreMatchers.hasItem;
import static org.hamcrest.CoreMatchers.hasItems;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.extension.KexExtensions;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The client offers what current OpenSSH offers by default and nothing weaker, keeps strict KEX, and refuses a server
 * that offers only SHA-1 RSA signatures, CBC ciphers or hmac-sha1 with one line naming what it offered.
 */
public class AlgorithmPolicyTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;
    private Path key;
    private EmbeddedSshServer server;

    @Before
    public void setUp() throws Exception {
        dir = tmp.getRoot().toPath();
        key = TestKeys.generate(dir, "id", "ed25519", "", false);
    }

    @After
    public void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private SshConnection connect(EmbeddedSshServer.Builder b) throws Exception {
        server = b.authorizedKeys(TestKeys.pub(key)).start();
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        SshSettings settings = SshSettings.builder().identityFile(key).knownHostsFile(knownHosts).build();
        return SshConnection.open(SshTarget.parse(server.url("tester", "/srv/production")), settings,
                new RecordingListener());
    }

    private String refused(EmbeddedSshServer.Builder b) {
        DeployException e = assertThrows(DeployException.class, () -> connect(b).close());
        assertEquals("no command may run on a refused server", 0, server.execCount());
        return e.getMessage();
    }

    private static List<String> names(String proposal) {
        return Arrays.asList(proposal.split(","));
    }

    private static Set<String> names(List<? extends NamedResource> factories) {
        return factories.stream().map(NamedResource::getName).collect(Collectors.toSet());
    }

    @Test
    public void offersOpenSshDefaultsAndNothingWeakerWithStrictKex() throws Exception {
        try (SshConnection c = connect(EmbeddedSshServer.builder())) {
            assertEquals(0, c.capture("true", Duration.ofSeconds(30)).exitStatus());
        }
        Map<KexProposalOption, String> offered = server.clientProposal();
        List<String> kex = names(offered.get(KexProposalOption.ALGORITHMS));
        assertThat("strict KEX (Terrapin)", kex, hasItem(KexExtensions.STRICT_KEX_CLIENT_EXTENSION));
        List<String> exchanges = kex.stream()
                .filter(k -> !KexExtensions.IS_KEX_EXTENSION_SIGNAL.test(k) && !k.startsWith("kex-strict-"))
                .collect(Collectors.toList());
        assertThat(exchanges, hasItems("curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256",
                "ecdh-sha2-nistp384", "ecdh-sha2-nistp521"));
        assertTrue("only the policy's key exchanges: " + exchanges,
                names(AlgorithmPolicy.KEX).containsAll(exchanges));
        assertThat(exchanges, not(hasItem("diffie-hellman-group14-sha1")));
        assertThat(exchanges, not(hasItem("diffie-hellman-group-exchange-sha1")));

        List<String> hostKeys = names(offered.get(KexProposalOption.SERVERKEYS));
        assertThat(hostKeys, hasItems("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"));
        assertThat("no SHA-1 signatures", hostKeys, not(hasItem("ssh-rsa")));
        assertThat(hostKeys, not(hasItem("ssh-rsa-cert-v01@openssh.com")));
        assertThat("no DSA", hostKeys, not(hasItem("ssh-dss")));
        assertTrue("only the policy's signatures: " + hostKeys,
                names(AlgorithmPolicy.SIGNATURES).containsAll(hostKeys));

        for (KexProposalOption kind : KexProposalOption.CIPHER_PROPOSALS) {
            assertEquals(List.of("chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr",
                    "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"), names(offered.get(kind)));
        }
        for (KexProposalOption kind : KexProposalOption.MAC_PROPOSALS) {
            assertEquals("ETM first, no SHA-1 or MD5", List.of("hmac-sha2-256-etm@openssh.com",
                    "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512"), names(offered.get(kind)));
        }
    }

    @Test
    public void serverWithOnlySha1RsaSignaturesIsRefused() {
        String msg = refused(EmbeddedSshServer.builder().rsaHostKey()
                .configure(sshd -> sshd.setSignatureFactories(List.of(BuiltinSignatures.rsa))));
        assertEquals("127.0.0.1:" + server.port() + " offers only ssh-rsa (SHA-1) host key signatures, which this"
                + " tool refuses as OpenSSH does; give the server an ed25519 or ECDSA host key (ssh-keygen -A), or"
                + " enable rsa-sha2-512/rsa-sha2-256 (OpenSSH 7.2 or later signs with them)", msg);
    }

    @Test
    public void serverWithOnlyCbcCiphersIsRefused() {
        String msg = refused(EmbeddedSshServer.builder()
                .configure(sshd -> sshd.setCipherFactories(List.of(BuiltinCiphers.aes128cbc, BuiltinCiphers.aes256cbc))));
        assertEquals("127.0.0.1:" + server.port() + " offers only aes128-cbc, aes256-cbc ciphers, which this tool"
                + " refuses as OpenSSH does; enable chacha20-poly1305@openssh.com, aes128-gcm@openssh.com or"
                + " aes128-ctr in the server's Ciphers", msg);
    }

    @Test
    public void serverWithOnlyHmacSha1IsRefused() {
        // a cipher that needs a MAC: with an AEAD cipher (GCM, ChaCha20) no MAC is negotiated at all
        String msg = refused(EmbeddedSshServer.builder().configure(sshd -> {
            sshd.setCipherFactories(List.of(BuiltinCiphers.aes128ctr));
            sshd.setMacFactories(List.of(BuiltinMacs.hmacsha1));
        }));
        assertEquals("127.0.0.1:" + server.port() + " offers only hmac-sha1 (SHA-1) MACs, which this tool refuses as"
                + " too weak; enable hmac-sha2-256-etm@openssh.com or hmac-sha2-256 in the server's MACs", msg);
    }

    @Test
    public void defaultOpenSshServerIsAcceptedWithModernAlgorithms() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder("sshd").toPath())) {
            SshSettings settings = SshSettings.builder().identityFile(sshd.userKey())
                    .knownHostsFile(sshd.knownHosts()).build();
            try (SshConnection c = SshConnection.open(SshTarget.parse(sshd.url("/srv/production")), settings,
                    new RecordingListener())) {
                assertEquals(0, c.capture("true", Duration.ofSeconds(30)).exitStatus());
                assertEquals("ssh-ed25519", c.negotiated(KexProposalOption.SERVERKEYS));
                assertThat(names(AlgorithmPolicy.KEX), hasItem(c.negotiated(KexProposalOption.ALGORITHMS)));
                assertEquals("chacha20-poly1305@openssh.com", c.negotiated(KexProposalOption.C2SENC));
                for (KexProposalOption kind : List.of(KexProposalOption.SERVERKEYS, KexProposalOption.C2SENC,
                        KexProposalOption.C2SMAC)) {
                    for (String weak : List.of("ssh-rsa", "ssh-dss", "aes128-cbc", "aes256-cbc", "3des-cbc",
                            "hmac-sha1", "hmac-md5")) {
                        assertThat(kind + " offered", names(c.offered(kind)), not(hasItem(weak)));
                    }
                }
            }
        }
    }
}
