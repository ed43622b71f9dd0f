package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import java.io.IOException;
import org.apache.sshd.client.session.AbstractClientSession;
import org.apache.sshd.client.session.ClientConnectionService;
import org.apache.sshd.client.session.ClientConnectionServiceFactory;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.ValidateUtils;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * MINA's client connection service, with OpenSSH's rule for keepalives: any message from the server counts as an
 * answer. MINA counts only replies to the keepalives themselves, and those queue behind the data in flight: on a
 * slow link, a large upload would go on while the keepalives seem unanswered, and the connection would be dropped.
 * (MINA's idle clock is no measure of the server's silence either: it restarts on this side's writes too.)
 */
final class LivelyConnectionService extends ClientConnectionService {
    private final SessionWatch watch;

    LivelyConnectionService(AbstractClientSession session, SessionWatch watch) throws SshException {
        super(session);
        this.watch = watch;
        watch.heard();
    }

    @Override
    public void process(int cmd, Buffer buffer) throws Exception {
        outstandingHeartbeats.set(0);
        watch.heard();
        super.process(cmd, buffer);
    }

    /** Makes the service above in place of MINA's own; it tells {@code watch} when the server was last heard. */
    static final class Factory extends ClientConnectionServiceFactory {
        private final SessionWatch watch;

        Factory(SessionWatch watch) {
            this.watch = watch;
        }

        @Override
        public Service create(Session session) throws IOException {
            AbstractClientSession client =
                    ValidateUtils.checkInstanceOf(session, AbstractClientSession.class, "Not a client session: %s", session);
            LivelyConnectionService service = new LivelyConnectionService(client, watch);
            service.addPortForwardingEventListenerManager(this);
            return service;
        }
    }
}
