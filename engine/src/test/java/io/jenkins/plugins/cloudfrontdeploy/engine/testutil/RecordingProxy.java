package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A plain HTTP forward proxy on 127.0.0.1 that records every request it is sent, for clients that must be shown to
 * go through a proxy (the AWS fakes serve plain http, so no CONNECT is needed). With a user and password it answers
 * 407 until a request carries them as Basic credentials. One request per connection: each answer says
 * {@code Connection: close}.
 */
public final class RecordingProxy implements AutoCloseable {
    /**
     * A request as the proxy received it.
     *
     * @param uri the absolute URI a client sends a proxy, such as {@code http://127.0.0.1:4000/2020-05-31/...}
     * @param authorized whether it carried the expected credentials (always, when none are asked for)
     */
    public record Request(String method, String uri, boolean authorized) {}

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final List<Request> requests = new ArrayList<>();
    private final Thread acceptor;

    private RecordingProxy(String user, String password) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        expectedAuthorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
        acceptor = new Thread(this::acceptAll, "recording-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static RecordingProxy start() throws IOException {
        return new RecordingProxy(null, null);
    }

    /** A proxy that asks for these Basic credentials. */
    public static RecordingProxy start(String user, String password) throws IOException {
        return new RecordingProxy(user, password);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getLocalPort();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests that carried the credentials (all of them, when none are asked for) and were forwarded. */
    public synchronized List<Request> forwarded() {
        return requests.stream().filter(Request::authorized).toList();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "recording-proxy-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] line = head.get(0).split(" ", 3);
            String authorization = header(head, "Proxy-Authorization");
            boolean authorized = expectedAuthorization == null || expectedAuthorization.equals(authorization);
            synchronized (this) {
                requests.add(new Request(line[0], line[1], authorized));
            }
            if (!authorized) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
                return;
            }
            String length = header(head, "Content-Length");
            if (line[0].equals("CONNECT") || header(head, "Transfer-Encoding") != null) {
                out.write("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(ISO_8859_1));
                return;
            }
            byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length.trim()));
            URI uri = URI.create(line[1]);
            try (Socket origin = new Socket(uri.getHost(), uri.getPort())) {
                StringBuilder request = new StringBuilder(line[0] + " " + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " " + line[2] + "\r\n");
                for (String h : head.subList(1, head.size())) {
                    String name = h.substring(0, h.indexOf(':')).toLowerCase(Locale.ROOT);
                    if (!name.startsWith("proxy-") && !name.equals("connection") && !name.equals("keep-alive")) {
                        request.append(h).append("\r\n");
                    }
                }
                request.append("Connection: close\r\n\r\n");
                OutputStream o = origin.getOutputStream();
                o.write(request.toString().getBytes(ISO_8859_1));
                o.write(body);
                o.flush();
                InputStream answer = origin.getInputStream();
                List<String> response = readHead(answer);
                StringBuilder rewritten = new StringBuilder();
                for (String h : response) {
                    if (!h.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                        rewritten.append(h).append("\r\n");
                    }
                }
                rewritten.append("Connection: close\r\n\r\n");
                out.write(rewritten.toString().getBytes(ISO_8859_1));
                answer.transferTo(out);
                out.flush();
            }
        } catch (IOException e) {
            // the client or the origin went away: nothing to record
        }
    }

    /** The request or status line and the header lines, up to the blank line; empty at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(ISO_8859_1);
                text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    private static String header(List<String> head, String name) {
        for (String h : head.subList(1, head.size())) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return h.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
