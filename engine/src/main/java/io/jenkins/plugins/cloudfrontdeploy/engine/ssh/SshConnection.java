package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientUserAuthServiceFactory;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * One authenticated SSH connection to one host, reused for every exec and SFTP channel of a run.
 *
 * <p>MINA's client defaults are unsafe on a build agent: they trust every host key, read {@code ~/.ssh/config} and
 * offer the agent user's {@code ~/.ssh/id_*} keys. Here the host key is always checked by {@link HostKeyChecker},
 * the config resolver and default identities are emptied, and only the caller's key and password are offered. The
 * algorithms offered are {@link AlgorithmPolicy}'s, not MINA's wider defaults.
 */
public final class SshConnection implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(SshConnection.class.getName());
    static {
        // On a Jenkins agent MINA's classes come over the remoting channel when first used. LoggingUtils' static
        // initializer (which loads slf4j's Level) first ran on a MINA I/O thread while client.stop() interrupted it:
        // the remote load failed, and the class stayed unusable for the agent's life (every later connection:
        // "NoClassDefFoundError: Could not initialize class LoggingUtils"). Initialised here, on the caller's thread.
        initialize("org.apache.sshd.common.util.logging.LoggingUtils");
        initialize("org.slf4j.event.Level");
    }

    private static void initialize(String className) {
        try {
            Class.forName(className, true, SshClient.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("MINA SSHD is incomplete on this machine: " + className, e);
        }
    }

    /** Error output kept per command: enough for a message, bounded against a chatty server. */
    private static final int STDERR_LIMIT = 16 * 1024;

    private final SshTarget target;
    private final SshSettings settings;
    private final SshClient client;
    private final ClientSession session;
    private final SessionWatch watch;

    private SshConnection(SshTarget target, SshSettings settings, SshClient client, ClientSession session,
            SessionWatch watch) {
        this.target = target;
        this.settings = settings;
        this.client = client;
        this.session = session;
        this.watch = watch;
    }

    public static SshConnection open(SshTarget target, SshSettings settings, ProgressListener listener) {
        if (target.isLocal()) {
            throw new IllegalArgumentException("a local target needs no SSH connection: " + target);
        }
        List<KeyPair> keys = loadKeys(settings);
        char[] password = settings.password();
        if (keys.isEmpty() && password == null) {
            throw new DeployException("no SSH credentials for " + target + ": give "
                    + settings.vocabulary().sshCredentials());
        }
        HostKeyChecker checker = new HostKeyChecker(settings, target, listener);
        AlgorithmPolicy.NegotiationRecorder negotiation = new AlgorithmPolicy.NegotiationRecorder(target.hostAndPort());
        SshClient client = AlgorithmPolicy.newClient();
        client.addSessionListener(negotiation);
        client.setServerKeyVerifier(checker);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        SessionWatch watch = new SessionWatch(target.hostAndPort(), settings);
        client.addSessionListener(watch);
        keepAlive(client, settings, watch);
        // MINA leaves Nagle's algorithm on; every exchange that writes twice before it reads (a channel open, a
        // command and its stdin, an SFTP request) then waits out the server's delayed ACK, about 40 ms. OpenSSH
        // turns it off too.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
        ClientSession session = null;
        try {
            ConnectFuture connect = client.connect(target.user(), target.host(), target.port());
            session = connect.verify(settings.connectTimeout()).getSession();
            for (KeyPair key : keys) {
                session.addPublicKeyIdentity(key);
            }
            if (password != null) {
                session.addPasswordIdentity(new String(password));
            }
            session.auth().verify(settings.authTimeout());
            return new SshConnection(target, settings, client, session, watch);
        } catch (IOException | RuntimeException e) {
            watch.closing();
            closeQuietly(session);
            client.stop();
            if (e instanceof DeployException de) {
                throw de;
            }
            if (negotiation.refusal() != null) {
                throw new DeployException(negotiation.refusal(), e);
            }
            throw connectFailure(target, settings, checker, watch, keys.isEmpty(), password != null, e);
        }
    }

    /**
     * Keepalives as OpenSSH's {@code ServerAliveInterval} and {@code ServerAliveCountMax}: every interval a request
     * the server must answer; when count-max of them went unanswered, and nothing else came either, the session
     * is closed. The idle timeout (nothing received for interval × (count-max + 1)) also covers a key exchange,
     * during which MINA sends no keepalive. Without them a dead link held a deploy until an SFTP wait gave up, 20
     * minutes later.
     */
    private static void keepAlive(SshClient client, SshSettings settings, SessionWatch watch) {
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.aliveInterval());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, settings.aliveCountMax());
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.aliveTimeout());
        // a dead link never takes the goodbye: do not wait 10 s for it to be written before closing
        CoreModuleProperties.DISCONNECT_TIMEOUT.set(client, settings.aliveInterval());
        client.setServiceFactories(List.of(ClientUserAuthServiceFactory.INSTANCE,
                new LivelyConnectionService.Factory(watch)));
    }

    private static DeployException connectFailure(
            SshTarget target, SshSettings settings, HostKeyChecker checker, SessionWatch watch, boolean noKey,
            boolean hasPassword, Exception e) {
        if (checker.refusal() != null) {
            return new DeployException(checker.refusal(), e);
        }
        String where = target.hostAndPort();
        String notSsh = watch.notSsh();
        if (notSsh != null) {
            // an HTTP server on the port answers the SSH greeting with "HTTP/1.1 400 Bad Request"
            return new DeployException("the server at " + where + " did not answer as an SSH server (it sent \""
                    + printable(notSsh) + "\"); check the port in "
                    + settings.vocabulary().name(Vocabulary.Setting.TARGET) + " (SSH is usually 22)", e);
        }
        if (hasCause(e, ConnectException.class)) {
            return new DeployException("cannot connect to " + where + ": connection refused; check the host and port"
                    + " in " + settings.vocabulary().name(Vocabulary.Setting.TARGET) + " and that sshd runs there", e);
        }
        if (hasCause(e, java.nio.channels.UnresolvedAddressException.class)
                || hasCause(e, java.net.UnknownHostException.class)) {
            return new DeployException("cannot resolve the host '" + target.host() + "'; check "
                    + settings.vocabulary().name(Vocabulary.Setting.TARGET), e);
        }
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("timeout") || text.contains("timed out") || hasCause(e, java.util.concurrent.TimeoutException.class)) {
            return new DeployException("no SSH answer from " + where + " within "
                    + settings.connectTimeout().plus(settings.authTimeout()).toSeconds() + "s; check that the port"
                    + " is an SSH server and that no firewall drops the connection", e);
        }
        if (text.contains("no more authentication methods") || text.contains("authentication")) {
            String offered = (noKey ? "" : "the given key") + (!noKey && hasPassword ? " and " : "")
                    + (hasPassword ? "the password" : "");
            // authorized_keys only matters when a key was offered: a refused password is a wrong user or password
            String check = noKey ? "that the user and the password are right"
                    : "that the user is right" + (hasPassword ? ", that the password is right," : "")
                            + " and that the public key is in its ~/.ssh/authorized_keys";
            return new DeployException("the server " + where + " refused " + offered + " for user '" + target.user()
                    + "'; check " + check, e);
        }
        if (!watch.greeted()) {
            return new DeployException("the server at " + where + " closed the connection before it answered as an"
                    + " SSH server; check the port in " + settings.vocabulary().name(Vocabulary.Setting.TARGET)
                    + " and that sshd runs there", e);
        }
        return new DeployException("SSH connection to " + where + " failed: " + e.getMessage(), e);
    }

    /** A line the server sent, safe to print: at most 80 characters, control characters shown as '?'. */
    private static String printable(String line) {
        String cut = line.length() > 80 ? line.substring(0, 80) + "…" : line;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static List<KeyPair> loadKeys(SshSettings settings) {
        List<KeyPair> keys = new ArrayList<>();
        char[] passphrase = settings.passphrase();
        if (settings.identityFile() != null) {
            byte[] data;
            try {
                data = Files.readAllBytes(settings.identityFile());
            } catch (NoSuchFileException e) {
                throw new DeployException("the key file " + settings.identityFile() + " does not exist; check "
                        + settings.vocabulary().name(Vocabulary.Setting.IDENTITY), e);
            } catch (IOException e) {
                throw new DeployException("cannot read the key file " + settings.identityFile() + ": " + e, e);
            }
            keys.addAll(parseKeys(data, settings.identityFile().toString(), passphrase, settings.vocabulary()));
            // after parsing: a public key or a file that is no key at all is better named as such
            KeyFilePermissions.check(settings.identityFile());
        }
        char[] text = settings.identityText();
        if (text != null) {
            keys.addAll(parseKeys(toBytes(text), "the private key given as text", passphrase, settings.vocabulary()));
            java.util.Arrays.fill(text, '\0');
        }
        return keys;
    }

    private static byte[] toBytes(char[] text) {
        var buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static List<KeyPair> parseKeys(byte[] data, String name, char[] passphrase, Vocabulary words) {
        boolean[] asked = {false};
        FilePasswordProvider provider = (session, resource, retryIndex) -> {
            asked[0] = true;
            return passphrase == null ? null : new String(passphrase);
        };
        try {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName(name), new ByteArrayInputStream(data), provider);
            List<KeyPair> keys = new ArrayList<>();
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new DeployException("no private key found in " + name + "; it must be an OpenSSH or PEM"
                        + " private key (the file without .pub)");
            }
            return keys;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof DeployException de) {
                throw de;
            }
            if (asked[0] && passphrase == null) {
                throw new DeployException("the key in " + name + " is encrypted; give its passphrase ("
                        + words.passphrase() + ")", e);
            }
            if (asked[0]) {
                throw new DeployException("cannot decrypt the key in " + name + " with the given passphrase;"
                        + " check the passphrase", e);
            }
            throw new DeployException("cannot read the private key in " + name + ": " + e.getMessage()
                    + "; it must be an OpenSSH or PEM private key", e);
        }
    }

    public SshTarget target() {
        return target;
    }

    /** What this connection agreed on for one kind of algorithm (tests check the policy with it). */
    String negotiated(org.apache.sshd.common.kex.KexProposalOption kind) {
        return session.getNegotiatedKexParameter(kind);
    }

    /** What this client offered for one kind of algorithm, comma-separated. */
    String offered(org.apache.sshd.common.kex.KexProposalOption kind) {
        return session.getClientKexProposals().get(kind);
    }

    /** What a remote command left: its exit status (-1 when the server sent none) and its error output. */
    public record ExecResult(int exitStatus, String stderr) {}

    /**
     * Runs a command through the login shell, streaming its output into {@code stdout}.
     *
     * @param command a POSIX shell command line: every value in it quoted with {@link ShellQuote}
     * @param stdin what the command reads, or {@code null} for nothing
     */
    public ExecResult exec(String command, InputStream stdin, OutputStream stdout, Duration timeout)
            throws IOException {
        LOGGER.log(Level.FINE, "exec on {0}: {1}", new Object[] {target.hostAndPort(), command});
        BoundedBuffer stderr = new BoundedBuffer(STDERR_LIMIT);
        try (ChannelExec channel = newExecChannel(command)) {
            channel.setIn(stdin != null ? stdin : new ByteArrayInputStream(new byte[0]));
            channel.setOut(stdout);
            channel.setErr(stderr);
            // not channel.waitFor(CLOSED): it swallows an interrupt (and clears it), so an aborted build ran on
            CountDownLatch closed = new CountDownLatch(1);
            channel.addCloseFutureListener(f -> closed.countDown());
            channel.open().verify(settings.authTimeout());
            // closed is enough: MINA writes each data packet into stdout/stderr on the session's reader thread, in
            // the order the packets arrive, and a server sends its close after its last data and its exit status
            if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DeployException("a command on " + target.hostAndPort() + " did not finish within "
                        + timeout.toSeconds() + "s");
            }
            Integer status = channel.getExitStatus();
            if (status == null) {
                // no status: the command's channel closed with the session, and what it did is unknown
                ConnectionLostException lost = lost(null);
                if (lost != null) {
                    throw lost;
                }
            }
            return new ExecResult(status == null ? -1 : status, stderr.text());
        } catch (InterruptedException | InterruptedIOException e) {
            if (e instanceof InterruptedIOException && !(e.getCause() instanceof InterruptedException)) {
                throw lostOr((InterruptedIOException) e); // a timeout, not an interrupt
            }
            Thread.currentThread().interrupt(); // the wait consumed it; the caller stops on it
            throw new DeployException("interrupted while a command ran on " + target.hostAndPort(), e);
        } catch (IOException e) {
            throw lostOr(e);
        }
    }

    /**
     * The loss of this connection, when the session died under this side (the server stopped answering, or the
     * link was reset): one line, the library's exception as its cause. {@code null} while the session lives.
     */
    public ConnectionLostException lost(Throwable cause) {
        return watch.lost(session, cause);
    }

    /** {@code e} as the loss of the connection if that is what it is, else {@code e} itself. */
    private <E extends IOException> IOException lostOr(E e) {
        ConnectionLostException lost = lost(e);
        if (lost != null) {
            throw lost;
        }
        return e;
    }

    /**
     * An exec channel that asks the server to confirm the request and closes itself when refused. MINA's own
     * channel ignores a refusal, so against a server that allows no commands it would wait out the whole timeout.
     */
    private ChannelExec newExecChannel(String command) throws IOException {
        ChannelExec channel = new ChannelExec(command, StandardCharsets.UTF_8, null, java.util.Map.of()) {
            @Override
            public void handleFailure() throws IOException {
                LOGGER.log(Level.FINE, "{0} refused to run a command", target.hostAndPort());
                close(false);
            }
        };
        CoreModuleProperties.REQUEST_EXEC_REPLY.set(channel, true);
        session.getService(ConnectionService.class).registerChannel(channel);
        return channel;
    }

    /** Runs a command with no input and keeps its whole output (for short answers only). */
    public Captured capture(String command, Duration timeout) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult result = exec(command, null, out, timeout);
        return new Captured(result.exitStatus(), result.stderr(), out.toByteArray());
    }

    /** A finished command's exit status, error text and output. */
    public record Captured(int exitStatus, String stderr, byte[] stdout) {}

    /** A new SFTP channel on this connection; the caller closes it. */
    public SftpClient sftp() throws IOException {
        try {
            return SftpClientFactory.instance().createSftpClient(session);
        } catch (IOException e) {
            if (!session.isOpen()) {
                throw lostOr(e);
            }
            throw new DeployException("the server " + target.hostAndPort() + " refused an SFTP session (" + e.getMessage()
                    + "); files are sent over SFTP: enable it in sshd_config (Subsystem sftp internal-sftp)", e);
        }
    }

    public SshSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        watch.closing();
        closeQuietly(session);
        client.stop();
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (IOException e) {
                LOGGER.log(Level.FINE, "closing SSH session", e);
            }
        }
    }

    /** Keeps the first {@code limit} bytes written; the rest is counted and dropped. */
    private static final class BoundedBuffer extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int limit;

        BoundedBuffer(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            if (kept.size() < limit) {
                kept.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int n = Math.min(len, limit - kept.size());
            if (n > 0) {
                kept.write(b, off, n);
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8).strip();
        }
    }
}
