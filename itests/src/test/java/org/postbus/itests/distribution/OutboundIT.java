package org.postbus.itests.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Outbound delivery end to end on the real distribution: a message submitted to Postbus for a
 * remote domain is routed by MX (a DNS server in this test answers for the domain) to a
 * receiving SMTP server in this test, which first defers it (the retry shows in
 * {@code bin/postbus queue list}) and then takes it; a message it refuses for good comes back
 * to the sender's mailbox as an RFC 3464 bounce.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboundIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static Dns dns;
    private static Receiver receiver;
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        dns = new Dns();
        dns.mx("remote.test", 10, "mx.remote.test");
        dns.a("mx.remote.test", "127.0.0.1");
        receiver = new Receiver(0);
        server = Server.fresh("outbound");
        writeQueueConfig(server, dns, receiver.port(), "0.02");
        server.start();
        server.awaitHealthy(START);
        Server.Result add = server.cli("user", "add", "alice@example.test", "--password", "correct horse");
        assertEquals(0, add.exit(), add.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    /**
     * The queue's configuration (PID {@code org.postbus.queue}; no feature file carries it, so
     * the test writes it): the test's DNS server, the receiver's port, quick retries.
     */
    static void writeQueueConfig(Server server, Dns dns, int smtpPort, String retryMinutes) throws IOException {
        Files.writeString(server.home.resolve("etc/org.postbus.queue.cfg"), String.join("\n",
                "dns.server = " + dns.server(),
                "port = " + smtpPort,
                "hostname = postbus.example.test",
                "retry.schedule.minutes = " + retryMinutes,
                "connect.timeout.seconds = 2",
                "command.timeout.seconds = 10",
                ""));
    }

    /** Submits one message as alice (submission port, STARTTLS, AUTH) with Python's smtplib. */
    static Server.Result submit(Server server, String to, String subject) throws Exception {
        return python(server, String.join("\n",
                "import os, smtplib, ssl",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "with smtplib.SMTP('127.0.0.1', int(os.environ['POSTBUS_SUBMISSION_PORT']), timeout=30) as s:",
                "    s.starttls(context=ctx)",
                "    s.login('alice@example.test', 'correct horse')",
                "    print('SENT', s.sendmail('alice@example.test', ['" + to + "'], 'From: alice@example.test\\r\\n"
                        + "To: " + to + "\\r\\nSubject: " + subject + "\\r\\n\\r\\nbody of " + subject + "\\r\\n'))"));
    }

    static Server.Result python(Server server, String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script);
        pb.environment().putAll(server.env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish: " + out);
        }
        return new Server.Result(p.exitValue(), out, "");
    }

    private static String queueList() {
        try {
            Server.Result r = server.cli("queue", "list");
            return r.exit() + "\n" + r.out() + r.err();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    @Test
    @Order(1)
    void aDeferredMessageIsRetriedAndThenDelivered() throws Exception {
        receiver.rcptReply = r -> "451 4.3.0 not now, try later";
        Server.Result sent = submit(server, "bob@remote.test", "first outbound");
        assertEquals(0, sent.exit(), sent.out());
        assertTrue(sent.out().contains("SENT {}"), sent.out());

        // Deferred: the queue shows it, with the receiver's answer, after more than one attempt.
        Server.await(DELIVERY, () -> {
            String list = queueList();
            return list.contains("bob@remote.test") && list.contains("451 4.3.0 not now, try later")
                    && !list.contains("attempts: 1,");
        }, "the deferred message to show in queue list with its retries");
        assertTrue(receiver.received.isEmpty());

        receiver.rcptReply = r -> "250 2.1.5 OK";
        Server.await(DELIVERY, () -> receiver.received.stream().anyMatch(m -> m.text().contains("Subject: first outbound")),
                "the message to arrive at the receiving server");
        Receiver.Message m = receiver.received.get(0);
        assertEquals("alice@example.test", m.sender());
        assertEquals(List.of("bob@remote.test"), m.recipients());
        assertTrue(m.text().contains("body of first outbound"), m.text());
        assertTrue(m.text().contains("Received: "), "a trace header was added: " + m.text());
        Server.await(DELIVERY, () -> queueList().contains("The queue is empty."), "the queue to empty");
    }

    @Test
    @Order(2)
    void aPermanentRefusalBouncesToTheSendersMailbox() throws Exception {
        receiver.rcptReply = r -> r.startsWith("nobody@") ? "550 5.1.1 <" + r + ">: no such user here" : "250 OK";
        Server.Result sent = submit(server, "nobody@remote.test", "second outbound");
        assertEquals(0, sent.exit(), sent.out());
        assertTrue(sent.out().contains("SENT {}"), sent.out());

        Path mbox = server.home.resolve("bounce-export");
        Server.await(DELIVERY, () -> {
            try {
                Server.Result export = server.cli("export", "--mbox", mbox.toString(), "--user", "alice@example.test");
                return export.exit() == 0 && Files.readString(mbox.resolve("INBOX.mbox"))
                        .contains("Undelivered Mail Returned to Sender");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, "the bounce in alice's INBOX");
        String inbox = Files.readString(mbox.resolve("INBOX.mbox"));
        assertTrue(inbox.contains("Content-Type: multipart/report; report-type=delivery-status"), inbox);
        assertTrue(inbox.contains("Final-Recipient: rfc822; nobody@remote.test"), inbox);
        assertTrue(inbox.contains("Action: failed"), inbox);
        assertTrue(inbox.contains("Status: 5.1.1"), inbox);
        assertTrue(inbox.contains("Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.test>: no such user here"), inbox);
        assertTrue(inbox.contains("Reporting-MTA: dns; postbus.example.test"), inbox);
        assertTrue(inbox.contains("Subject: second outbound"), "the original is returned: " + inbox);
        assertTrue(receiver.received.stream().noneMatch(m -> m.text().contains("second outbound")));
        assertTrue(receiver.received.stream().noneMatch(m -> m.sender().isEmpty()),
                "the bounce to a local sender did not go out by SMTP");
        Server.await(DELIVERY, () -> queueList().contains("The queue is empty."), "the queue to empty");
    }

    /**
     * A small authoritative DNS server over UDP on loopback (RFC 1035 wire format by hand, as
     * this module has no DNS library): A and MX records; NXDOMAIN for unknown names.
     */
    static final class Dns implements AutoCloseable {
        private record Rr(int type, byte[] data) {
        }

        private static final int A = 1;
        private static final int MX = 15;

        private final DatagramSocket socket;
        private final Map<String, List<Rr>> records = new ConcurrentHashMap<>();

        Dns() throws IOException {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::serve, "it-dns");
            t.setDaemon(true);
            t.start();
        }

        String server() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        void a(String name, String ip) throws IOException {
            add(name, new Rr(A, InetAddress.getByName(ip).getAddress()));
        }

        void mx(String name, int preference, String host) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(preference >> 8);
            b.write(preference);
            writeName(b, host);
            add(name, new Rr(MX, b.toByteArray()));
        }

        private void add(String name, Rr rr) {
            records.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new CopyOnWriteArrayList<>()).add(rr);
        }

        private static void writeName(ByteArrayOutputStream b, String name) {
            for (String label : name.split("\\.")) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                b.write(l.length);
                b.writeBytes(l);
            }
            b.write(0);
        }

        private void serve() {
            byte[] buf = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] answer = answer(buf, p.getLength());
                    if (answer != null) {
                        socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                    }
                } catch (IOException | RuntimeException e) {
                    // closed, or a query this server does not understand
                }
            }
        }

        private byte[] answer(byte[] q, int length) {
            if (length < 12 || ((q[4] << 8) | (q[5] & 0xff)) != 1) {
                return null;
            }
            int pos = 12;
            StringBuilder name = new StringBuilder();
            while (q[pos] != 0) {
                int len = q[pos++];
                if (name.length() > 0) {
                    name.append('.');
                }
                name.append(new String(q, pos, len, StandardCharsets.US_ASCII));
                pos += len;
            }
            pos++;
            int type = ((q[pos] & 0xff) << 8) | (q[pos + 1] & 0xff);
            int questionEnd = pos + 4;
            List<Rr> known = records.get(name.toString().toLowerCase(Locale.ROOT));
            List<Rr> matching = new ArrayList<>();
            if (known != null) {
                known.stream().filter(r -> r.type == type).forEach(matching::add);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(q[0]);
            out.write(q[1]);
            out.write(0x84 | (q[2] & 0x01)); // QR, AA, and RD as asked
            out.write(known == null ? 3 : 0); // NXDOMAIN or NOERROR
            out.writeBytes(new byte[] {0, 1, 0, (byte) matching.size(), 0, 0, 0, 0});
            out.write(q, 12, questionEnd - 12);
            for (Rr r : matching) {
                out.writeBytes(new byte[] {(byte) 0xc0, 12, (byte) (r.type >> 8), (byte) r.type, 0, 1, 0, 0, 0, 60,
                    (byte) (r.data.length >> 8), (byte) r.data.length});
                out.writeBytes(r.data);
            }
            return out.toByteArray();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A receiving SMTP server on loopback with a scripted RCPT reply. */
    static final class Receiver implements AutoCloseable {
        record Message(String sender, List<String> recipients, byte[] data) {
            String text() {
                return new String(data, StandardCharsets.UTF_8);
            }
        }

        private final ServerSocket server;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        final List<Message> received = new CopyOnWriteArrayList<>();
        volatile Function<String, String> rcptReply = r -> "250 2.1.5 OK";

        Receiver(int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            Thread t = new Thread(this::accept, "it-smtp");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread t = new Thread(() -> session(s), "it-smtp-session");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void session(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                reply(out, "220 receiver.test ESMTP");
                String sender = null;
                List<String> rcpts = new ArrayList<>();
                while (true) {
                    String line = readLine(in);
                    if (line == null) {
                        return;
                    }
                    String upper = line.toUpperCase(Locale.ROOT);
                    if (upper.startsWith("EHLO")) {
                        reply(out, "250-receiver.test\r\n250-PIPELINING\r\n250 SIZE 10000000");
                    } else if (upper.startsWith("HELO")) {
                        reply(out, "250 receiver.test");
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
                        if (sender == null || rcpts.isEmpty()) {
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
                            data.writeBytes((l.startsWith(".") ? l.substring(1) : l).getBytes(StandardCharsets.UTF_8));
                            data.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        received.add(new Message(sender, List.copyOf(rcpts), data.toByteArray()));
                        sender = null;
                        reply(out, "250 2.0.0 OK");
                    } else if (upper.equals("RSET")) {
                        sender = null;
                        rcpts = new ArrayList<>();
                        reply(out, "250 2.0.0 OK");
                    } else if (upper.equals("QUIT")) {
                        reply(out, "221 2.0.0 bye");
                        return;
                    } else {
                        reply(out, "502 5.5.1 not implemented");
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

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return null;
                }
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.UTF_8);
                }
                b.write(c);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
