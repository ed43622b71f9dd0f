package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH {@code sshd}, started by a test on 127.0.0.1 with its own host key, user key and config in a
 * temporary folder. Missing sshd is a failure, never a skip: CI installs openssh-server, and a test that silently
 * does not run proves nothing.
 */
public final class OpenSshServer implements Closeable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path userKey;
    private final StringBuffer log;

    private OpenSshServer(Process process, int port, Path dir, Path userKey, StringBuffer log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.userKey = userKey;
        this.log = log;
    }

    /**
     * Starts sshd in {@code dir}.
     *
     * @param extraConfig more sshd_config lines (e.g. "ForceCommand internal-sftp")
     */
    public static OpenSshServer start(Path dir, String... extraConfig) throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD)) {
            throw new AssertionError("OpenSSH sshd is not installed at " + SSHD
                    + ": install it (apt-get install -y openssh-server), as .ci/run does");
        }
        Path hostKey = TestKeys.generate(dir, "ssh_host_ed25519_key", "ed25519", "", false);
        Path userKey = TestKeys.generate(dir, "id_user", "ed25519", "", false);
        Files.copy(TestKeys.pub(userKey), dir.resolve("authorized_keys"));
        // the port is free when chosen, but another process (a parallel test fork, any client's ephemeral port)
        // may take it before sshd binds it: then sshd says so and exits, and another port is tried
        for (int attempt = 0; attempt < 5; attempt++) {
            OpenSshServer server = startOnFreePort(dir, hostKey, userKey, extraConfig);
            if (server != null) {
                return server;
            }
        }
        throw new IOException("sshd found each of 5 free ports taken before it could bind it");
    }

    /** @return the started server, or {@code null} if its port was taken meanwhile */
    private static OpenSshServer startOnFreePort(Path dir, Path hostKey, Path userKey, String... extraConfig)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringBuilder config = new StringBuilder();
        for (String line : List.of(
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "LogLevel INFO",
                // bash sources ~/.bashrc for SSH commands only at the first shell level; a developer's heavy
                // ~/.bashrc (pyenv, nvm) would otherwise cost every exec of a test more than its work
                "SetEnv SHLVL=1",
                "Subsystem sftp internal-sftp")) {
            config.append(line).append('\n');
        }
        for (String line : extraConfig) {
            config.append(line).append('\n');
        }
        Path configFile = dir.resolve("sshd_config");
        Files.writeString(configFile, config); // rewritten with the new port on a retry
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // privilege separation folder sshd insists on
        }
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", configFile.toString())
                .redirectErrorStream(true)
                .start();
        StringBuffer log = new StringBuffer();
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.append(line).append('\n');
                    if (line.contains("Server listening on")) {
                        listening.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.complete(false);
        }, "sshd-log");
        reader.setDaemon(true);
        reader.start();
        boolean up;
        try {
            up = listening.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            up = false;
        }
        if (!up) {
            p.destroyForcibly();
            if (log.indexOf("Address already in use") >= 0) {
                return null;
            }
            throw new IOException("sshd did not start: " + log);
        }
        return new OpenSshServer(p, port, dir, userKey, log);
    }

    public int port() {
        return port;
    }

    public Path userKey() {
        return userKey;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    /** A known_hosts file holding this server's key, as "[127.0.0.1]:port type base64". */
    public Path knownHosts() throws IOException {
        Path file = dir.resolve("known_hosts");
        if (!Files.exists(file)) {
            String pub = Files.readString(TestKeys.pub(dir.resolve("ssh_host_ed25519_key"))).trim();
            String[] parts = pub.split(" ");
            Files.writeString(file, "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
        }
        return file;
    }

    /** The host key's public file. */
    public Path hostPublicKey() {
        return TestKeys.pub(dir.resolve("ssh_host_ed25519_key"));
    }

    public String url(String path) {
        return "ssh://" + user() + "@127.0.0.1:" + port + path;
    }

    /** ssh options for running OpenSSH clients (rsync -e) against this server. */
    public String sshCommand() throws IOException {
        return "ssh -p " + port + " -i " + userKey + " -o UserKnownHostsFile=" + knownHosts()
                + " -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes -F /dev/null";
    }

    public String log() {
        return log.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
