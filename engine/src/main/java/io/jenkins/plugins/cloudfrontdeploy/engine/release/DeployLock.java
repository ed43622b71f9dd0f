package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Fence;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Server;
import io.jenkins.plugins.cloudfrontdeploy.engine.server.Uninterruptible;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One deploy at a time per site root. The lock is the folder {@code .cloudfront-deploy/lock}, holding the owner
 * ({@link LockOwner}) and a random token. It is filled under a name of its own first and then renamed into place
 * where nothing is: rename(2) of a folder onto a folder that is not empty fails, so of two deploys that both found
 * the name free, the one that renames first holds the lock and the other's rename fails; and the lock
 * never exists without its owner and token (a deploy cut off while writing them leaves no lock at all, only a stray
 * folder). It is removed the same way, renamed aside before it is deleted, and only by the holder of its token.
 *
 * <p>The token is also a fencing token: every change that decides what is served (the link switch, retention's
 * deletions, journal writes and so the invalidation batches journaled before they are sent) runs in one shell script
 * behind {@link #guard()}, which refuses unless the token file still holds this deploy's token. A deploy whose lock
 * was broken while it stalled therefore stops with {@link LockLostException} and changes nothing more. The check and
 * the change are one script on the server, so the window between them is the time to start the change's command
 * (about a millisecond); the deploy that broke the lock needs many commands more before its own switch, so that
 * window cannot put an older release back over a newer one.
 *
 * <p>One deploy takes all its hosts' locks with one token: a lock found holding this deploy's own token is the lock
 * this deploy already took under another target name, so the two targets are the same site.
 */
public final class DeployLock implements AutoCloseable, Fence {
    /** How often a waiting deploy looks again. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** The exit status of a script whose guard found that the lock is no longer this deploy's. */
    static final int LOST = 97;
    /** What the guard writes on standard error with {@link #LOST}, so another cause of that status is not taken for it. */
    static final String LOST_MARKER = "cloudfront-deploy: the deploy lock is no longer this deploy's";

    private static final int CANNOT_WRITE = 2;
    private static final int HELD = 3;
    private static final int OWNER_NOT_WRITTEN = 4;
    private static final int NOT_A_FOLDER = 6;

    private final Server server;
    private final SiteLayout layout;
    private final String token;
    private boolean held;
    private volatile String productionWhenLost;

    private DeployLock(Server server, SiteLayout layout, String token) {
        this.server = server;
        this.layout = layout;
        this.token = token;
    }

    /** A token for one deploy's locks on all its hosts. */
    public static String newToken() {
        return UUID.randomUUID().toString();
    }

    /** Takes the lock with a token of its own (see the other form). */
    public static DeployLock acquire(Server server, SiteLayout layout, String release, Duration timeout,
            boolean breakLock, ProgressListener listener) throws IOException {
        return acquire(server, layout, release, newToken(), timeout, breakLock, listener);
    }

    /**
     * Takes the lock, waiting up to {@code timeout} for another deploy to finish. A lock whose owner is provably gone
     * ({@link LockOwner#whyStale}) is taken over at once, with a warning that says why.
     *
     * @param token this deploy's token, the same for every host it deploys to ({@link #newToken()})
     * @param breakLock remove a lock left by someone else first (an operator's decision, named in a warning)
     */
    public static DeployLock acquire(Server server, SiteLayout layout, String release, String token,
            Duration timeout, boolean breakLock, ProgressListener listener) throws IOException {
        return acquire(server, layout, release, token, timeout, breakLock, listener, Vocabulary.CLI);
    }

    /** As the other form; {@code words} name the fixes in the messages as the front end spells them. */
    public static DeployLock acquire(Server server, SiteLayout layout, String release, String token,
            Duration timeout, boolean breakLock, ProgressListener listener, Vocabulary words) throws IOException {
        DeployLock lock = new DeployLock(server, layout, token);
        LockOwner me = LockOwner.current(release, layout.target().toString());
        byte[] owner = me.toJson();
        Instant deadline = Instant.now().plus(timeout);
        boolean breaking = breakLock;
        boolean told = false;
        while (true) {
            Holder holder = lock.tryTake(owner);
            if (holder == null) {
                return lock;
            }
            if (token.equals(holder.token())) {
                throw new DeployException(layout.target() + " and "
                        + (holder.owner() == null ? "another target" : holder.owner().target()) + " are the same site"
                        + " on the same server (its lock is the one this deploy just took): give each server once");
            }
            if (breaking) {
                breaking = false;
                listener.warning("breaking the deploy lock on " + layout.host() + " held by " + holder.describe());
                lock.breakLock(holder.token());
                continue;
            }
            String stale = holder.owner() == null || holder.token().isEmpty() ? null : holder.owner().whyStale(me);
            if (stale != null && lock.takeOver(holder.token(), owner)) {
                listener.warning("took over the deploy lock on " + layout.host() + " left by " + holder.describe()
                        + ": it is stale, as " + stale);
                return lock;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new DeployException("another deploy holds the lock " + layout.lockPath() + " on "
                        + layout.host() + " (" + holder.describe() + "); wait for it to finish, or if it died, "
                        + words.breakLock(layout.lockPath(), layout.host()));
            }
            if (!told) {
                listener.info("waiting for the deploy lock on " + layout.host() + ", held by " + holder.describe());
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

    /** The lock as found held: its token ({@code ""} when none was written) and owner ({@code null} if unreadable). */
    private record Holder(String token, String ownerJson, LockOwner owner) {
        String describe() {
            return owner != null ? owner.describe()
                    : ownerJson.isBlank() ? "an owner not yet written" : "an unreadable owner file";
        }
    }

    /** Takes the lock if it is free; otherwise says who holds it. */
    private Holder tryTake(byte[] owner) throws IOException {
        Server.Result r = server.run("S=" + quote(layout.stateDir()) + "; L=" + quote(layout.lockPath()) + "; "
                + "if [ -e \"$S\" ] && [ ! -d \"$S\" ]; then exit " + NOT_A_FOLDER + "; fi; "
                + "e=$(mkdir -p -- \"$S\" 2>&1 && mkdir -- \"$S/.lock-new.$$\" 2>&1) || { id -un 2>/dev/null;"
                + " printf '%s\\n' \"$e\" >&2; exit " + CANNOT_WRITE + "; }; "
                + fill("\"$S/.lock-new.$$\"", owner.length)
                // rename(2) would replace an empty folder: one made by hand, or by an older version about to fill it
                + "if [ ! -e \"$L\" ] && mv -T -- \"$S/.lock-new.$$\" \"$L\" 2>/dev/null; then exit 0; fi; "
                + "rm -rf -- \"$S/.lock-new.$$\"; "
                + "if [ -d \"$L\" ]; then " + readToken("\"$L/token\"") + " printf '%s\\0' \"$cfd_token\";"
                + " cat -- \"$L/owner.json\" 2>/dev/null; exit " + HELD + "; fi; "
                + "id -un 2>/dev/null; echo \"cannot rename a folder into $L\" >&2; exit " + CANNOT_WRITE, owner);
        if (r.exitStatus() == HELD) {
            String out = r.out();
            int nul = out.indexOf('\0');
            String json = nul < 0 ? "" : out.substring(nul + 1);
            return new Holder(nul < 0 ? "" : out.substring(0, nul), json, LockOwner.parse(json));
        }
        if (r.exitStatus() == CANNOT_WRITE) {
            String error = r.stderr().strip();
            String reason = error.substring(error.lastIndexOf(": ") + 1).strip();
            throw new DeployException("cannot take the deploy lock: the user '" + r.out().strip() + "' cannot write"
                    + " to " + layout.stateDir() + " on " + layout.host() + " (" + (reason.isEmpty() ? error : reason)
                    + "); give it write access to the site root " + layout.siteRoot() + " and to its "
                    + SiteLayout.STATE_DIR + " folder");
        }
        if (r.exitStatus() == NOT_A_FOLDER) {
            throw new DeployException("cannot take the deploy lock: " + layout.stateDir() + " on " + layout.host()
                    + " is a file, not a folder; this tool keeps its lock and journal in that folder: move the file"
                    + " away");
        }
        require(r, "taking the deploy lock");
        held = true;
        return null;
    }

    /**
     * Writes the owner (standard input, all {@code length} bytes of it: input cut short is no owner) and the token
     * into a new lock folder not yet in place, or removes that folder and stops.
     */
    private String fill(String folder, int length) {
        return "{ cat > " + folder + "/owner.json && [ $(wc -c < " + folder + "/owner.json) -eq " + length
                + " ] && printf '%s' " + quote(token) + " > " + folder + "/token; } || { rm -rf -- " + folder
                + "; exit " + OWNER_NOT_WRITTEN + "; }; ";
    }

    /** Renames the lock aside, then deletes it: the lock is there whole or not at all, never half deleted. */
    private static String remove() {
        return "mv -T -- \"$L\" \"$L.gone.$$\" && rm -rf -- \"$L.gone.$$\"";
    }

    /** Sets {@code cfd_token} to a token file's text, empty when there is none, with the shell's own {@code read}. */
    private static String readToken(String file) {
        return "cfd_token=; { read -r cfd_token < " + file + "; } 2>/dev/null;";
    }

    /** Removes the lock the operator asked to break, unless it changed hands since it was seen. */
    private void breakLock(String seen) throws IOException {
        require(server.run("L=" + quote(layout.lockPath()) + "; " + readToken("\"$L/token\"") + " [ \"$cfd_token\" = "
                + quote(seen) + " ] || exit 0; " + remove(), new byte[0]), "breaking the lock");
    }

    /**
     * Replaces a stale lock with this deploy's, in one script. The takeover is claimed by {@code mkdir lock/takeover}
     * (atomic: of two deploys that found the lock stale, one gets it), and made only if the lock still holds the stale
     * token, so a deploy that looked late cannot take over the lock of the deploy that took over first. The new lock
     * is filled aside and renamed into place once the stale one is renamed away; a deploy that took the free name in
     * between wins.
     *
     * @return whether this deploy holds the lock now
     */
    private boolean takeOver(String staleToken, byte[] owner) throws IOException {
        Server.Result r = server.run("S=" + quote(layout.stateDir()) + "; L=" + quote(layout.lockPath()) + "; "
                + "mkdir -- \"$L/takeover\" 2>/dev/null || exit " + HELD + "; " + readToken("\"$L/token\"")
                + " [ \"$cfd_token\" = " + quote(staleToken) + " ] || { rmdir -- \"$L/takeover\" 2>/dev/null; exit "
                + HELD + "; }; mkdir -- \"$S/.lock-new.$$\" || exit " + CANNOT_WRITE + "; "
                + fill("\"$S/.lock-new.$$\"", owner.length) + remove() + " && mv -T -- \"$S/.lock-new.$$\" \"$L\""
                + " 2>/dev/null && exit 0; rm -rf -- \"$S/.lock-new.$$\"; exit " + HELD, owner);
        if (r.exitStatus() == HELD) {
            return false;
        }
        require(r, "taking over the stale deploy lock");
        held = true;
        return true;
    }

    /**
     * A POSIX {@code sh} prefix that exits with status {@link #LOST} unless the lock still holds this deploy's token.
     * Reading with the shell's {@code read} starts no process: the check is as close to the change as a script allows.
     */
    @Override
    public String guard() {
        return readToken(quote(layout.lockPath() + "/token")) + " [ \"$cfd_token\" = " + quote(token) + " ] || { echo "
                + quote(LOST_MARKER) + " >&2; exit " + LOST + "; }; ";
    }

    /** Throws {@link LockLostException} when {@code result} is the guard's refusal. */
    @Override
    public void check(Server.Result result) {
        if (result.exitStatus() == LOST && result.stderr().contains(LOST_MARKER)) {
            held = false;
            throw lost();
        }
    }

    /** Checks on the server that this deploy still holds the lock, before a step that is not a script there. */
    public void ensureHeld() throws IOException {
        Server.Result r = server.run(guard() + "true", new byte[0]);
        check(r);
        require(r, "checking the deploy lock");
    }

    /** The lock was broken: says by whom and what production serves now, when that can be read. */
    private LockLostException lost() {
        String now = "";
        try {
            Server.Result r = server.run("cat -- " + quote(layout.lockPath() + "/owner.json") + " 2>/dev/null;"
                    + " printf '\\0'; readlink -- " + quote(layout.linkPath()) + " 2>/dev/null", new byte[0]);
            String out = new String(r.stdout(), StandardCharsets.UTF_8);
            int nul = out.indexOf('\0');
            if (nul >= 0) {
                LockOwner owner = LockOwner.parse(out.substring(0, nul));
                String link = out.substring(nul + 1).strip();
                productionWhenLost = link.isEmpty() ? null : link.substring(link.lastIndexOf('/') + 1);
                now = (owner == null ? "; nobody holds it now" : "; it is held by " + owner.describe())
                        + (link.isEmpty() ? "" : "; production there points at " + link);
            }
        } catch (IOException | RuntimeException e) {
            now = ""; // the message stands without what could not be read
        }
        return new LockLostException("the deploy lock on " + layout.host() + " (" + layout.lockPath() + ") was broken"
                + " while this deploy ran" + now + ". This deploy stopped and changed nothing more on "
                + layout.host() + "; check what the other deploy did before running this one again");
    }

    /** The release production served when the lock was found broken (as the server said), or {@code null}. */
    public String productionWhenLost() {
        return productionWhenLost;
    }

    /**
     * Releases the lock if this deploy still holds it (a broken-and-retaken lock is someone else's). An interrupt
     * (an abort, a signal) arriving now neither keeps it from being released nor cuts the release command short: it
     * runs on a thread of its own, and the interrupt is the caller's again afterwards.
     */
    @Override
    public void close() throws IOException {
        if (!held) {
            return;
        }
        held = false;
        boolean interrupted = Thread.interrupted();
        try {
            Uninterruptible.run("unlock", () -> {
                require(server.run("L=" + quote(layout.lockPath()) + "; " + readToken("\"$L/token\"")
                        + " [ \"$cfd_token\" = " + quote(token) + " ] && " + remove() + " || true", new byte[0]),
                        "releasing the deploy lock");
                return null;
            });
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String hostName() {
        return LockOwner.hostName();
    }

    private void require(Server.Result r, String what) {
        if (!r.ok()) {
            throw new DeployException(what + " " + layout.lockPath() + " on " + layout.host() + " failed (exit "
                    + r.exitStatus() + "): " + r.stderr() + "; the user needs write access to " + layout.siteRoot());
        }
    }
}
