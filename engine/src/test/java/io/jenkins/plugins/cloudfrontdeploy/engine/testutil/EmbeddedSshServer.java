package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An Apache MINA SSHD server in this JVM, on 127.0.0.1 and a free port, for tests: real {@code /bin/sh -c} commands
 * and a real SFTP subsystem over the native file system. Options turn off exec (an SFTP-only server), restrict the
 * command PATH (a server without sha256sum), or run commands as {@code nobody} (permission tests when the tests run
 * as root, who may read anything). Others give it an RSA host key or narrow the algorithms it offers, and it
 * records what the last client offered.
 */
public final class EmbeddedSshServer implements Closeable {
    private final SshServer sshd;
    private final KeyPair hostKey;
    private final AtomicInteger execCount = new AtomicInteger();
    private final AtomicReference<Map<KexProposalOption, String>> clientProposal = new AtomicReference<>();

    private EmbeddedSshServer(SshServer sshd, KeyPair hostKey) {
        this.sshd = sshd;
        this.hostKey = hostKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return sshd.getPort();
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** A known_hosts line for this server, as OpenSSH writes it for a non-standard port. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** ssh://user@127.0.0.1:port + path */
    public String url(String user, String path) {
        return "ssh://" + user + "@127.0.0.1:" + port() + path;
    }

    /** The fixture's own quoting, independent of the ShellQuote under test. */
    private static String singleQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** How many exec requests reached the server (probe included). */
    public int execCount() {
        return execCount.get();
    }

    /** The algorithms the last client offered in its last key exchange, as the server received them. */
    public Map<KexProposalOption, String> clientProposal() {
        return clientProposal.get();
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** Configures and starts a server. */
    public static final class Builder {
        private Path authorizedKeys;
        private String password;
        private boolean exec = true;
        private boolean sftp = true;
        private String path;
        private boolean asNobody;
        private String hostKeyAlgorithm = "EC";
        private int hostKeySize = 256;
        private Consumer<SshServer> configuration = sshd -> { };
        private SftpFileSystemAccessor accessor;
        private SftpErrorStatusDataHandler errors;

        /** An OpenSSH authorized_keys file (a .pub file will do). */
        public Builder authorizedKeys(Path file) {
            this.authorizedKeys = file;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder exec(boolean exec) {
            this.exec = exec;
            return this;
        }

        public Builder sftp(boolean sftp) {
            this.sftp = sftp;
            return this;
        }

        /** The PATH commands run with (default: inherited). */
        public Builder commandPath(String path) {
            this.path = path;
            return this;
        }

        /** Runs commands as the unprivileged user nobody, through setpriv (needs root). */
        public Builder commandsAsNobody() {
            this.asNobody = true;
            return this;
        }

        /** An RSA host key instead of ECDSA P-256. */
        public Builder rsaHostKey() {
            this.hostKeyAlgorithm = "RSA";
            this.hostKeySize = 2048;
            return this;
        }

        /** Changes the server after the defaults are set (e.g. the algorithms it offers). */
        public Builder configure(Consumer<SshServer> configuration) {
            this.configuration = configuration;
            return this;
        }

        /** How the SFTP subsystem opens and writes files (e.g. {@link FullDisk}); default: MINA's own. */
        public Builder sftpFiles(SftpFileSystemAccessor accessor) {
            this.accessor = accessor;
            return this;
        }

        /** What the SFTP subsystem says in a failure's status (default: MINA's, "General failure" and the like). */
        public Builder sftpErrors(SftpErrorStatusDataHandler errors) {
            this.errors = errors;
            return this;
        }

        public EmbeddedSshServer start() throws IOException {
            KeyPair hostKey;
            try {
                KeyPairGenerator gen = KeyPairGenerator.getInstance(hostKeyAlgorithm);
                gen.initialize(hostKeySize);
                hostKey = gen.generateKeyPair();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
            SshServer sshd = SshServer.setUpDefaultServer();
            sshd.setHost("127.0.0.1");
            sshd.setPort(0);
            sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            if (authorizedKeys != null) {
                // one at a time: while MINA's authenticator (re)loads the file it rejects every other session's key
                AuthorizedKeysAuthenticator keys = new AuthorizedKeysAuthenticator(authorizedKeys);
                sshd.setPublickeyAuthenticator((user, key, session) -> {
                    synchronized (keys) {
                        return keys.authenticate(user, key, session);
                    }
                });
            } else {
                sshd.setPublickeyAuthenticator((user, key, session) -> false);
            }
            String pw = password;
            sshd.setPasswordAuthenticator((user, given, session) -> pw != null && pw.equals(given));
            sshd.setKeyboardInteractiveAuthenticator(null);
            sshd.setFileSystemFactory(NativeFileSystemFactory.INSTANCE);
            EmbeddedSshServer server = new EmbeddedSshServer(sshd, hostKey);
            if (exec) {
                sshd.setCommandFactory((channel, command) -> {
                    server.execCount.incrementAndGet();
                    // MINA runs every command as /bin/sh -c RAW; the wrappers go in front of a nested shell
                    StringBuilder raw = new StringBuilder();
                    if (asNobody) {
                        raw.append("exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- ");
                    }
                    if (path != null) {
                        raw.append(raw.length() == 0 ? "exec " : "").append("/usr/bin/env PATH=")
                                .append(singleQuoted(path)).append(' ');
                    }
                    String line = raw.length() == 0 ? command : raw + "/bin/sh -c " + singleQuoted(command);
                    return new ProcessCommand(List.of("/bin/sh", "-c", line));
                });
            }
            if (sftp) {
                SftpSubsystemFactory factory = new SftpSubsystemFactory();
                if (accessor != null) {
                    factory.setFileSystemAccessor(accessor);
                }
                if (errors != null) {
                    factory.setErrorStatusDataHandler(errors);
                }
                sshd.setSubsystemFactories(List.of(factory));
            }
            sshd.addSessionListener(new SessionListener() {
                @Override
                public void sessionNegotiationStart(Session session, Map<KexProposalOption, String> fromClient,
                        Map<KexProposalOption, String> fromServer) {
                    server.clientProposal.set(Map.copyOf(fromClient));
                }
            });
            configuration.accept(sshd);
            sshd.start();
            return server;
        }
    }
}
