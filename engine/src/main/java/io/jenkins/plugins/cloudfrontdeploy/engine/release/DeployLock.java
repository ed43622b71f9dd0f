package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One deploy at a time per site root. {@code mkdir} is atomic on every POSIX file system, so whoever creates
 * {@code .cloudfront-deploy/lock} holds the lock; the owner (host, user, time, release and a random token) is written
 * inside, and only the holder of the token removes it.
 */
public final class DeployLock implements AutoCloseable {
    /** How often a waiting deploy looks again. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final Server server;
    private final SiteLayout layout;
    private final String token;
    private boolean held;

    private DeployLock(Server server, SiteLayout layout, String token) {
        this.server = server;
        this.layout = layout;
        this.token = token;
    }

    /**
     * Takes the lock, waiting up to {@code timeout} for another deploy to finish.
     *
     * @param breakLock remove a lock left by someone else first (an operator's decision, named in a warning)
     */
    public static DeployLock acquire(Server server, SiteLayout layout, String release, Duration timeout,
            boolean breakLock, ProgressListener listener) throws IOException {
        DeployLock lock = new DeployLock(server, layout, UUID.randomUUID().toString());
        if (breakLock) {
            String owner = lock.owner();
            if (owner != null) {
                listener.warning("breaking the deploy lock on " + layout.host() + " held by " + owner);
                lock.check(server.run("rm -rf -- " + quote(layout.lockPath()), new byte[0]), "breaking the lock");
            }
        }
        Instant deadline = Instant.now().plus(timeout);
        boolean told = false;
        while (true) {
            if (lock.tryTake(release)) {
                return lock;
            }
            String owner = lock.owner();
            if (Instant.now().isAfter(deadline)) {
                throw new DeployException("another deploy holds the lock " + layout.lockPath() + " on "
                        + layout.host() + " (" + (owner == null ? "owner unknown" : owner) + "); wait for it to"
                        + " finish, or if it died, run again with --break-lock");
            }
            if (!told) {
                listener.info("waiting for the deploy lock on " + layout.host() + ", held by " + owner);
                told = true;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("interrupted while waiting for the deploy lock on " + layout.host(), e);
            }
        }
    }

    private boolean tryTake(String release) throws IOException {
        String dir = layout.lockPath();
        Server.Result r = server.run("mkdir -p -- " + quote(layout.stateDir()) + " || exit 2; mkdir -- "
                + quote(dir) + " 2>/dev/null || exit 3; cat > " + quote(dir + "/owner.json") + " && printf '%s' "
                + quote(token) + " > " + quote(dir + "/token"), ownerJson(release));
        if (r.exitStatus() == 3) {
            return false;
        }
        check(r, "taking the deploy lock");
        held = true;
        return true;
    }

    /** Who holds the lock, as one line, or {@code null} when nobody does. */
    String owner() throws IOException {
        Server.Result r = server.run("cat -- " + quote(layout.lockPath() + "/owner.json") + " 2>/dev/null"
                + " || { [ -d " + quote(layout.lockPath()) + " ] && echo '{}'; }", new byte[0]);
        String json = r.out().strip();
        if (json.isEmpty()) {
            return null;
        }
        try {
            Map<?, ?> o = new ObjectMapper().readValue(json, Map.class);
            return o.isEmpty() ? "owner not yet written"
                    : o.get("user") + "@" + o.get("host") + " since " + o.get("since") + ", deploying release "
                            + o.get("release");
        } catch (IOException e) {
            return "an unreadable owner file";
        }
    }

    private static byte[] ownerJson(String release) throws IOException {
        Map<String, String> owner = new LinkedHashMap<>();
        owner.put("host", hostName());
        owner.put("user", System.getProperty("user.name"));
        owner.put("since", Instant.now().toString());
        owner.put("release", release);
        owner.put("pid", String.valueOf(ProcessHandle.current().pid()));
        return new ObjectMapper().writeValueAsBytes(owner);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** Releases the lock if this deploy still holds it (a broken-and-retaken lock is someone else's). */
    @Override
    public void close() throws IOException {
        if (!held) {
            return;
        }
        held = false;
        String dir = layout.lockPath();
        check(server.run("[ \"$(cat -- " + quote(dir + "/token") + " 2>/dev/null)\" = " + quote(token)
                + " ] && rm -rf -- " + quote(dir) + " || true", new byte[0]), "releasing the deploy lock");
    }

    private void check(Server.Result r, String what) {
        if (!r.ok()) {
            throw new DeployException(what + " " + layout.lockPath() + " on " + layout.host() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr() + "; the user needs write access to " + layout.siteRoot());
        }
    }
}
