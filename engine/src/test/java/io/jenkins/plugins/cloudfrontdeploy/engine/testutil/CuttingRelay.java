package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of an SSH server that cuts every connection once the client has sent a given
 * number of bytes: a network failure at a chosen point of a deploy, with the real client and server on both ends.
 */
public final class CuttingRelay implements Closeable {
    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicLong sent = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile long cutAfter;

    public CuttingRelay(int targetPort, long cutAfter) throws IOException {
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Bytes the client has sent through the relay so far. */
    public long sent() {
        return sent.get();
    }

    /** Cut when the total sent reaches this ({@code Long.MAX_VALUE}: never). */
    public void cutAfter(long bytes) {
        this.cutAfter = bytes;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean counted) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (counted) {
                        long room = cutAfter - sent.get();
                        if (room <= n) {
                            out.write(buffer, 0, (int) Math.max(0, room));
                            sent.addAndGet(Math.max(0, room));
                            from.close();
                            to.close();
                            return;
                        }
                        sent.addAndGet(n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
