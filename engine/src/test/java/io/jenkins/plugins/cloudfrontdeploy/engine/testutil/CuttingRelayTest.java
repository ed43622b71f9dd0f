package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/** The relay's faults, against a plain TCP sink that reports what reached it. */
public class CuttingRelayTest {
    @Rule
    public Timeout timeout = Timeout.seconds(30);

    private ServerSocket sink;
    private final BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(100);

    @Before
    public void startSink() throws IOException {
        sink = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = sink.accept(); InputStream in = s.getInputStream()) {
                s.getOutputStream().write("hello".getBytes()); // something for the client to read
                byte[] buffer = new byte[4096];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received.add(Arrays.copyOf(buffer, n));
                }
            } catch (IOException e) {
                // reset: the end all the same
            }
            received.add(new byte[0]); // the connection ended
        }, "sink");
        t.setDaemon(true);
        t.start();
    }

    @After
    public void stopSink() throws IOException {
        sink.close();
    }

    private byte[] receive(int bytes) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < bytes) {
            byte[] chunk = received.poll(10, TimeUnit.SECONDS);
            if (chunk == null || chunk.length == 0) {
                throw new AssertionError("only " + out.size() + " of " + bytes + " bytes arrived");
            }
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    /** Bytes that reach the sink until its connection ends. */
    private int untilTheEnd() throws InterruptedException {
        int total = 0;
        for (byte[] chunk = received.poll(10, TimeUnit.SECONDS); ; chunk = received.poll(10, TimeUnit.SECONDS)) {
            if (chunk == null) {
                throw new AssertionError("the connection did not end; " + total + " bytes arrived");
            }
            if (chunk.length == 0) {
                return total;
            }
            total += chunk.length;
        }
    }

    @Test
    public void stallHoldsBothDirectionsUntilToldToProceed() throws Exception {
        try (CuttingRelay relay = new CuttingRelay(sink.getLocalPort(), Long.MAX_VALUE);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            relay.stallAt(100);
            byte[] data = new byte[300];
            Arrays.fill(data, (byte) 'x');
            client.getOutputStream().write(data);
            assertTrue(relay.awaitStalled(Duration.ofSeconds(10)));
            assertEquals(100, receive(100).length);
            assertTrue("nothing more while stalled", received.poll(200, TimeUnit.MILLISECONDS) == null);
            assertEquals(100, relay.sent());

            relay.proceed();
            assertEquals(200, receive(200).length);
            assertFalse(relay.isStalled());
            byte[] hello = client.getInputStream().readNBytes(5);
            assertArrayEquals("hello".getBytes(), hello);
        }
    }

    @Test
    public void droppedConnectionsAreResetWithoutForwardingTheRest() throws Exception {
        try (CuttingRelay relay = new CuttingRelay(sink.getLocalPort(), Long.MAX_VALUE);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            assertArrayEquals("hello".getBytes(), client.getInputStream().readNBytes(5));
            relay.stallAt(10);
            client.getOutputStream().write(new byte[50]);
            assertTrue(relay.awaitStalled(Duration.ofSeconds(10)));
            // read before the drop: a reset throws away what the sink has not read yet
            assertEquals(10, receive(10).length);
            relay.dropConnections();
            byte[] end = received.poll(10, TimeUnit.SECONDS);
            assertEquals("the sink sees the connection end, not the 40 bytes held back", 0, end.length);
            assertThrows("the client is reset too", SocketException.class, () -> client.getInputStream().read());
        }
    }

    @Test
    public void resetCutsAtTheOffset() throws Exception {
        try (CuttingRelay relay = new CuttingRelay(sink.getLocalPort(), 64);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            relay.reset(true);
            client.getOutputStream().write(new byte[200]);
            // a reset may throw away what the sink had not read yet: what matters is that nothing past the cut
            // went through and that both ends see the connection die
            assertTrue("at most the 64 bytes before the cut", untilTheEnd() <= 64);
            assertEquals(64, relay.sent());
            relay.rearm();
            assertEquals(0, relay.sent());
        }
    }
}
