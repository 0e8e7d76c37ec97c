package org.postbus.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A raw client for line-based protocols (SMTP, POP3) over a socket to 127.0.0.1: sends exactly
 * the bytes a test gives and reads CRLF-terminated lines, with STARTTLS trusting the server's
 * certificate. Protocol clients extend it with their reply shapes.
 */
public class LineClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** Connects to {@code port} on 127.0.0.1. */
    public LineClient(int port) throws IOException {
        this(connect(port));
    }

    /** Talks over a connected socket, such as an implicit-TLS one from {@link #implicitTls}. */
    public LineClient(Socket socket) throws IOException {
        use(socket);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    /** A socket to {@code port} on 127.0.0.1 with the TLS handshake done, trusting the server. */
    public static SSLSocket implicitTls(int port) throws Exception {
        SSLSocket tls = (SSLSocket) TestTls.trustingClient().getSocketFactory().createSocket("127.0.0.1", port);
        tls.startHandshake();
        return tls;
    }

    private void use(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Sends {@code text} as it is: no CRLF added. */
    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code bytes} as they are. */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command line and reads its reply; here one line, as POP3 status lines are. */
    public String command(String line) throws IOException {
        send(line + "\r\n");
        return line();
    }

    /** Sends a command and checks that its reply starts with {@code expected}. */
    public String expect(String line, String expected) throws IOException {
        String reply = command(line);
        if (!reply.startsWith(expected)) {
            throw new AssertionError(line + " -> " + reply + " (expected " + expected + ")");
        }
        return reply;
    }

    /** Reads one line without its CRLF (a bare LF does not end it); null at the end of the stream. */
    public String line() throws IOException {
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

    /**
     * Starts TLS on the connection, trusting the server's certificate.
     *
     * @throws IOException if the server sent anything after its go-ahead in plain text: such
     *     bytes would otherwise vanish with the read buffer instead of failing the test
     */
    public void startTls() throws Exception {
        if (in.available() > 0) {
            throw new IOException("the server sent " + in.available() + " bytes in plain text before TLS");
        }
        SSLSocket tls = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        use(tls);
    }

    /** Whether the server closed the connection (a read returns end of stream within the timeout). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Sets the read timeout. */
    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
