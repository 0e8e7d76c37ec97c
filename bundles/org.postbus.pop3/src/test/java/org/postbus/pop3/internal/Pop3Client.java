package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/** A raw POP3 client for scripted conversations and limit tests: sends exactly the bytes a test gives. */
final class Pop3Client implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Pop3Client(int port) throws IOException {
        this(plain(port));
    }

    Pop3Client(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket plain(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    /** A client over implicit TLS. */
    static Pop3Client tls(int port) throws Exception {
        SSLSocket tls = (SSLSocket) TestTls.trustingClient().getSocketFactory().createSocket("127.0.0.1", port);
        tls.startHandshake();
        return new Pop3Client(tls);
    }

    Pop3Client send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    Pop3Client send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a command line and reads the status line. */
    String command(String line) throws IOException {
        send(line + "\r\n");
        return line();
    }

    /** Sends a command and checks that its status line starts with {@code expected}. */
    String expect(String line, String expected) throws IOException {
        String reply = command(line);
        assertTrue(reply.startsWith(expected), line + " -> " + reply + " (expected " + expected + ")");
        return reply;
    }

    /** Reads the lines of a multi-line response up to its dot, undoing the dot-stuffing. */
    List<String> body() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed in a multi-line response: " + lines);
            }
            if (line.equals(".")) {
                return lines;
            }
            lines.add(line.startsWith(".") ? line.substring(1) : line);
        }
    }

    /** Reads one line without its CRLF; null at the end of the stream. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Starts TLS on the connection, trusting the server's certificate. */
    void startTls() throws Exception {
        SSLSocket tls = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = new java.io.BufferedInputStream(tls.getInputStream());
        out = tls.getOutputStream();
    }

    /** Whether the server closed the connection (read returns end of stream in time). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
