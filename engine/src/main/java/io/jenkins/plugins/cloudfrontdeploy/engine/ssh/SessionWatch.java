package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * Watches one connection's session for what the SSH library keeps to itself: what the server sent before (or
 * instead of) its SSH greeting, and why the session ended when this side did not end it. MINA only logs these; a
 * waiting SFTP or exec call gets a bare "Session is being closed" or an {@code IoWriteFutureImpl[…]} instead.
 */
final class SessionWatch implements SessionListener {
    private final String host;
    private final Duration quiet;
    private volatile String firstLine;
    private volatile boolean greeted;
    private volatile boolean closingByUs;
    private volatile Instant lostAt;
    private volatile Duration silence;
    private volatile Throwable failure;
    private volatile String disconnect;
    private volatile Instant lastHeard;

    /** @param settings the keepalive settings: a loss after this long a silence is the keepalives' doing */
    SessionWatch(String host, SshSettings settings) {
        this.host = host;
        // the keepalive gives up once count-max of them went unanswered: at least interval × count-max of silence
        this.quiet = settings.aliveInterval().multipliedBy(settings.aliveCountMax());
    }

    @Override
    public void sessionPeerIdentificationLine(Session session, String line, List<String> extraLines) {
        if (firstLine == null) {
            firstLine = line;
        }
    }

    @Override
    public void sessionPeerIdentificationReceived(Session session, String version, List<String> extraLines) {
        greeted = true;
    }

    @Override
    public void sessionException(Session session, Throwable t) {
        if (failure == null) {
            failure = t;
        }
        ended(session);
    }

    @Override
    public void sessionDisconnect(Session session, int reason, String msg, String language, boolean initiator) {
        if (!initiator && disconnect == null) {
            disconnect = msg;
        }
        ended(session);
    }

    @Override
    public void sessionClosed(Session session) {
        ended(session);
    }

    /** Notes when the session ended and how long the server had been silent by then (the first call counts). */
    private synchronized void ended(Session session) {
        if (lostAt == null && !closingByUs) {
            lostAt = Instant.now();
            silence = lastHeard == null ? null : Duration.between(lastHeard, lostAt);
        }
    }

    /** A message came from the server (once the connection service runs: after authentication). */
    void heard() {
        lastHeard = Instant.now();
    }

    /** This side closes the session: its end is no loss. */
    synchronized void closing() {
        closingByUs = true;
    }

    /** The server's first line, when it was not an SSH greeting (an HTTP server's status line, say). */
    String notSsh() {
        return greeted ? null : firstLine;
    }

    /** Whether the server sent an SSH greeting. */
    boolean greeted() {
        return greeted;
    }

    /** The session's loss as one line, or {@code null} while it lives or when this side closed it. */
    synchronized ConnectionLostException lost(Session session, Throwable cause) {
        if (lostAt == null && (session.isClosing() || session.isClosed())) {
            ended(session); // closing, before MINA told its listeners: a channel may learn of it first
        }
        if (lostAt == null) {
            return null;
        }
        ConnectionLostException e = new ConnectionLostException(host, reason(cause), cause);
        if (failure != null && failure != cause) {
            e.addSuppressed(failure);
        }
        return e;
    }

    /** Why the session ended, from what MINA told its listeners and from what the caller saw ({@code cause}). */
    private String reason(Throwable cause) {
        // silent for as long as the keepalives allow: the heartbeat or the idle timeout ended it
        if (silence != null && silence.compareTo(quiet) >= 0) {
            return "no answer for " + Math.max(1, Math.round(silence.toMillis() / 1000.0)) + " s";
        }
        if (disconnect != null) {
            return "the server disconnected: " + disconnect;
        }
        if (mentions(failure, "reset") || mentions(failure, "broken pipe") || mentions(cause, "reset")
                || mentions(cause, "broken pipe")) {
            return "the connection was reset by the network or the server";
        }
        return "the connection was closed by the network or the server";
    }

    private static boolean mentions(Throwable t, String word) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().toLowerCase(Locale.ROOT).contains(word)) {
                return true;
            }
        }
        return false;
    }
}
