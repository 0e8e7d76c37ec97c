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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A small receiving SMTP server on loopback, with scripted RCPT and DATA replies. */
final class TestSmtpServer implements AutoCloseable {

    /** One received message: envelope and the bytes after un-stuffing. */
    record Received(String sender, List<String> recipients, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();
    volatile Function<String, String> rcptReply = r -> "250 2.1.5 OK";
    volatile String dataReply = "250 2.0.0 OK";

    TestSmtpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
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

    private void session(Socket s) {
        sessions.incrementAndGet();
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            reply(out, "220 test ESMTP");
            String sender = null;
            List<String> rcpts = new ArrayList<>();
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                commands.add(line);
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    reply(out, "250-test\r\n250-SIZE 1000000\r\n250 8BITMIME");
                } else if (upper.startsWith("MAIL FROM:")) {
                    sender = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    rcpts = new ArrayList<>();
                    reply(out, "250 2.1.0 OK");
                } else if (upper.startsWith("RCPT TO:")) {
                    String r = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    String answer = rcptReply.apply(r);
                    if (answer.startsWith("2")) {
                        rcpts.add(r);
                    }
                    reply(out, answer);
                } else if (upper.equals("DATA")) {
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
                        received.add(new Received(sender, List.copyOf(rcpts), data.toByteArray()));
                    }
                    reply(out, answer);
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "502 5.5.1 unknown");
                }
            }
        } catch (IOException e) {
            // client gone
        }
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

    @Override
    public void close() throws IOException {
        server.close();
    }
}
