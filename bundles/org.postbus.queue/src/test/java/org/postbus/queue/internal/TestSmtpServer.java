package org.postbus.queue.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small receiving SMTP server on loopback, with scripted replies, configurable extensions,
 * STARTTLS or implicit TLS with a real certificate, and AUTH PLAIN/LOGIN.
 */
final class TestSmtpServer implements AutoCloseable {

    /** One received message: envelope, the bytes after un-stuffing, and whether it came over TLS. */
    record Received(String sender, List<String> recipients, byte[] data, boolean tls, String tlsProtocol) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();
    /** Extension lines after the greeting line of the EHLO reply (STARTTLS is added when TLS is set). */
    volatile List<String> extensions = List.of("SIZE 1000000", "8BITMIME");
    volatile Function<String, String> mailReply = m -> "250 2.1.0 OK";
    volatile Function<String, String> rcptReply = r -> "250 2.1.5 OK";
    volatile String dataReply = "250 2.0.0 OK";
    /** Offers STARTTLS with this context; null: no TLS. */
    volatile SSLContext tls;
    /** Whether TLS starts at connection (SMTPS) rather than by STARTTLS. */
    volatile boolean implicitTls;
    /** When set, AUTH with these credentials succeeds and MAIL needs it. */
    volatile String authUser;
    volatile String authPassword;
    volatile String authMechanisms = "PLAIN LOGIN";
    final List<String> authenticated = new CopyOnWriteArrayList<>();
    /** MAIL commands that arrived with more commands already behind them (RFC 2920 pipelining). */
    final AtomicInteger pipelinedMail = new AtomicInteger();

    private final List<Socket> open = new CopyOnWriteArrayList<>();

    TestSmtpServer() throws IOException {
        this(0);
    }

    /** A server on a given port (to come back where a previous one was). */
    TestSmtpServer(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        Thread t = new Thread(this::acceptLoop, "test-smtp");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    Received next() throws InterruptedException {
        return received.poll(15, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> session(s), "test-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket accepted) {
        sessions.incrementAndGet();
        open.add(accepted);
        Socket s = accepted;
        try {
            String tlsProtocol = null;
            if (implicitTls) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                tlsProtocol = ssl.getSession().getProtocol();
                s = ssl;
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            reply(out, "220 test ESMTP");
            String sender = null;
            String user = null;
            List<String> rcpts = new ArrayList<>();
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                commands.add(line);
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    List<String> ext = new ArrayList<>(extensions);
                    if (tls != null && tlsProtocol == null && !implicitTls) {
                        ext.add("STARTTLS");
                    }
                    if (authUser != null) {
                        ext.add("AUTH " + authMechanisms);
                    }
                    StringBuilder b = new StringBuilder("250");
                    b.append(ext.isEmpty() ? " " : "-").append("test");
                    for (int i = 0; i < ext.size(); i++) {
                        b.append("\r\n250").append(i == ext.size() - 1 ? " " : "-").append(ext.get(i));
                    }
                    reply(out, b.toString());
                } else if (upper.equals("STARTTLS") && tls != null && tlsProtocol == null) {
                    reply(out, "220 2.0.0 go ahead");
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    tlsProtocol = ssl.getSession().getProtocol();
                    s = ssl;
                    in = new BufferedInputStream(s.getInputStream());
                    out = s.getOutputStream();
                    sender = null;
                } else if (upper.startsWith("AUTH PLAIN ")) {
                    String[] parts = new String(Base64.getDecoder().decode(line.substring(11).strip()),
                            StandardCharsets.UTF_8).split("\0", -1);
                    user = check(out, parts.length == 3 ? parts[1] : "", parts.length == 3 ? parts[2] : "");
                } else if (upper.equals("AUTH LOGIN")) {
                    reply(out, "334 VXNlcm5hbWU6");
                    String u = new String(Base64.getDecoder().decode(readLine(in).strip()), StandardCharsets.UTF_8);
                    reply(out, "334 UGFzc3dvcmQ6");
                    String p = new String(Base64.getDecoder().decode(readLine(in).strip()), StandardCharsets.UTF_8);
                    user = check(out, u, p);
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (authUser != null && user == null) {
                        reply(out, "530 5.7.0 authentication required");
                        continue;
                    }
                    if (in.available() > 0) {
                        pipelinedMail.incrementAndGet();
                    }
                    String answer = mailReply.apply(line);
                    if (answer.startsWith("2")) {
                        sender = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                        rcpts = new ArrayList<>();
                    }
                    reply(out, answer);
                } else if (upper.startsWith("RCPT TO:")) {
                    if (sender == null) {
                        reply(out, "503 5.5.1 MAIL first");
                        continue;
                    }
                    String r = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    String answer = rcptReply.apply(r);
                    if (answer.startsWith("2")) {
                        rcpts.add(r);
                    }
                    reply(out, answer);
                } else if (upper.equals("DATA")) {
                    if (rcpts.isEmpty()) {
                        reply(out, "503 5.5.1 no valid recipients");
                        continue;
                    }
                    reply(out, "354 go ahead");
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    while (true) {
                        String l = readLine(in);
                        if (l == null) {
                            return;
                        }
                        if (l.equals(".")) {
                            break;
                        }
                        data.write((l.startsWith(".") ? l.substring(1) : l).getBytes(StandardCharsets.UTF_8));
                        data.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    String answer = dataReply;
                    if (answer.startsWith("2")) {
                        received.add(new Received(sender, List.copyOf(rcpts), data.toByteArray(), tlsProtocol != null,
                                tlsProtocol));
                    }
                    sender = null;
                    reply(out, answer);
                } else if (upper.equals("RSET")) {
                    sender = null;
                    rcpts = new ArrayList<>();
                    reply(out, "250 2.0.0 reset");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "502 5.5.1 unknown");
                }
            }
        } catch (IOException e) {
            // client gone
        } finally {
            try {
                s.close();
            } catch (IOException e) {
                // gone anyway
            }
        }
    }

    private String check(OutputStream out, String user, String password) throws IOException {
        if (user.equals(authUser) && password.equals(authPassword)) {
            authenticated.add(user);
            reply(out, "235 2.7.0 authenticated");
            return user;
        }
        reply(out, "535 5.7.8 bad credentials");
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A CRLF line without its end; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n' && prev == '\r') {
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
            prev = c;
        }
    }

    /** Drops every open session without a word, as a server that restarted would. */
    void dropSessions() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    /** Stops listening and drops every open session, as a crashed server would. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
