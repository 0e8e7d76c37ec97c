package org.postbus.queue.internal;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An MTA-STS policy server: HTTPS with a test certificate on loopback, behind a small HTTP
 * CONNECT proxy that sends every tunnel to it, so that the client asks for the real policy host
 * name ({@code mta-sts.<domain>}) and checks the certificate against it.
 */
final class TestPolicyServer implements AutoCloseable {

    private final HttpsServer https;
    private final ServerSocket proxy;
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger redirectTargetFetches = new AtomicInteger();
    /** The hosts the client asked the proxy for. */
    final List<String> tunnels = new CopyOnWriteArrayList<>();
    volatile String policy = "";
    volatile int status = 200;
    volatile String location;

    TestPolicyServer(SSLContext tls) throws IOException {
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            fetches.incrementAndGet();
            byte[] body = policy.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.createContext("/elsewhere.txt", exchange -> {
            redirectTargetFetches.incrementAndGet();
            byte[] body = policy.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptTunnels, "test-connect-proxy");
        t.setDaemon(true);
        t.start();
    }

    int httpsPort() {
        return https.getAddress().getPort();
    }

    String proxy() {
        return "127.0.0.1:" + proxy.getLocalPort();
    }

    private void acceptTunnels() {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Thread t = new Thread(() -> tunnel(client), "test-connect-tunnel");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), httpsPort())) {
            InputStream in = client.getInputStream();
            String request = readHead(in);
            String target = request.split(" ")[1];
            tunnels.add(target);
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            Thread back = new Thread(() -> pipe(upstream, client), "test-connect-back");
            back.setDaemon(true);
            back.start();
            pipe(client, upstream);
            back.join(5000);
        } catch (IOException | InterruptedException e) {
            // tunnel over
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("proxy request cut short");
            }
            b.write(c);
            matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        https.stop(0);
        proxy.close();
    }
}
