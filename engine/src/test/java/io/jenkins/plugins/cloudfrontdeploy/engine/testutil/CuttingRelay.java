package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of an SSH server that fails the network at a chosen point of a deploy, with the
 * real client and server on both ends. The point is a byte offset in what the clients have sent through it: there
 * it cuts every connection (closed, or reset when {@link #reset} is on), or stalls: nothing more is forwarded in
 * either direction and the sockets stay open, as over a dead link, until the test lets it {@link #proceed} or
 * {@link #dropConnections drops} them.
 */
public final class CuttingRelay implements Closeable {
    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    // the fault state below is guarded by this; sent is only changed under it too
    private long cutAfter;
    private long stallAt = Long.MAX_VALUE;
    private boolean stalled;
    private boolean reset;

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

    /** Bytes the clients have sent through the relay so far. */
    public long sent() {
        return sent.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Cut when the total sent reaches this ({@code Long.MAX_VALUE}: never). */
    public synchronized void cutAfter(long bytes) {
        this.cutAfter = bytes;
    }

    /** Whether a cut resets the connections (RST, as a crashed peer or a firewall) instead of closing them (FIN). */
    public synchronized void reset(boolean on) {
        this.reset = on;
    }

    /** Stall every connection when the total sent reaches this ({@code Long.MAX_VALUE}: never). */
    public synchronized void stallAt(long bytes) {
        this.stallAt = bytes;
    }

    public synchronized boolean isStalled() {
        return stalled;
    }

    /** @return whether the relay stalled within the timeout */
    public synchronized boolean awaitStalled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stalled) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Ends a stall: what was held back is forwarded and the connections go on; no further stall is armed. */
    public synchronized void proceed() {
        stallAt = Long.MAX_VALUE;
        stalled = false;
        notifyAll();
    }

    /** Resets every open connection (a stalled one included) without forwarding anything more. */
    public void dropConnections() {
        for (Socket s : sockets) {
            abort(s);
        }
        sockets.clear();
        proceed(); // the woken pumps find their sockets closed and end
    }

    /** Counts from zero again and forgets any cut or stall; connections already open are left alone. */
    public synchronized void rearm() {
        sent.set(0);
        cutAfter = Long.MAX_VALUE;
        stallAt = Long.MAX_VALUE;
        stalled = false;
        notifyAll();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                // a relay must not add Nagle's delay to what it forwards in pieces
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                connections.incrementAndGet();
                sockets.add(client);
                sockets.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** What the client→server pump may do with the bytes it read. */
    private record Step(int bytes, boolean cut, boolean stall) {}

    /** Decides how many of {@code n} bytes go before a cut or a stall, and counts them as sent. */
    private synchronized Step plan(int n) {
        if (stalled) {
            return new Step(0, false, true);
        }
        long total = sent.get();
        long cutRoom = cutAfter - total;
        long stallRoom = stallAt - total;
        if (cutRoom <= n) {
            int bytes = (int) Math.max(0, cutRoom);
            sent.addAndGet(bytes);
            return new Step(bytes, true, false);
        }
        if (stallRoom <= n) {
            int bytes = (int) Math.max(0, stallRoom);
            sent.addAndGet(bytes);
            stalled = true;
            notifyAll();
            return new Step(bytes, false, true);
        }
        sent.addAndGet(n);
        return new Step(n, false, false);
    }

    /** Blocks while the relay is stalled. */
    private synchronized void awaitGo() throws IOException {
        while (stalled) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean counted) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    int offset = 0;
                    while (offset < n) {
                        Step step = counted ? plan(n - offset)
                                : isStalled() ? new Step(0, false, true) : new Step(n - offset, false, false);
                        if (step.stall()) {
                            out.write(buffer, offset, step.bytes());
                            offset += step.bytes();
                            awaitGo();
                            continue;
                        }
                        out.write(buffer, offset, step.bytes());
                        offset += step.bytes();
                        if (step.cut()) {
                            cut(from, to);
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                close(from);
                close(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private void cut(Socket from, Socket to) {
        boolean rst;
        synchronized (this) {
            rst = reset;
        }
        if (rst) {
            abort(from);
            abort(to);
        } else {
            close(from);
            close(to);
        }
    }

    /** Closes with SO_LINGER 0: the peer gets a reset, not an orderly end of stream. */
    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        close(s);
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        proceed();
    }
}
