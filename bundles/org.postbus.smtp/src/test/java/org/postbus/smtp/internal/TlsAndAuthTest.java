package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.LogCapture;
import org.postbus.testkit.TestTls;

/** STARTTLS (RFC 3207), implicit TLS and AUTH PLAIN and LOGIN (RFC 4954, 4616). */
@Timeout(30)
class TlsAndAuthTest {

    @TempDir
    Path spool;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void startTlsResetsTheSessionAndOffersAuth() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "authPlaintextLoopback", false));
        try (SmtpClient client = server.connect()) {
            client.reply();
            String plain = client.expect("EHLO client.test", "250");
            assertTrue(plain.contains("STARTTLS") && !plain.contains("AUTH"), plain);
            client.expect("AUTH PLAIN " + plain("alice", "secret"), "538 5.7.11");
            client.expect("MAIL FROM:<x@remote.test>", "250");
            client.expect("STARTTLS", "503 5.5.1");
            client.expect("RSET", "250");
            client.expect("STARTTLS", "220 2.0.0");
            client.startTls();
            client.expect("MAIL FROM:<x@remote.test>", "503 5.5.1");
            String secure = client.expect("EHLO client.test", "250");
            assertTrue(!secure.contains("STARTTLS") && secure.contains("AUTH PLAIN LOGIN"), secure);
            client.expect("STARTTLS", "503 5.5.1");
            client.expect("AUTH PLAIN " + plain("alice", "secret"), "235 2.7.0");
            client.expect("AUTH PLAIN " + plain("alice", "secret"), "503 5.5.1");
            client.expect("MAIL FROM:<alice@example.org>", "250");
            client.expect("RCPT TO:<someone@remote.test>", "250 2.1.5");
            client.expect("DATA", "354");
            client.expect("Subject: out\r\n\r\nhi\r\n.", "250 2.0.0");
            FakeDelivery.Delivered message = server.delivery.next();
            assertTrue(message.secure());
            assertEquals("alice@example.org", message.user().orElseThrow());
            assertTrue(message.content().contains(" with ESMTPSA id "), message.content());
            assertFalse(server.directory.threads.stream().anyMatch(t -> t.contains("NioProcessor")));
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsDiscarded() throws Exception {
        server = TestServer.start(spool);
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.send("STARTTLS\r\nMAIL FROM:<evil@remote.test>\r\nNOOP\r\n");
            client.expectReply("220 2.0.0");
            client.startTls();
            client.expect("EHLO client.test", "250-mx.example.test");
            client.expect("RCPT TO:<alice@example.org>", "503 5.5.1");
        }
    }

    @Test
    void withoutTlsServiceStartTlsIsNotOffered() throws Exception {
        server = TestServer.start(spool);
        server.tlsPresent = false;
        try (SmtpClient client = server.connect()) {
            client.reply();
            assertFalse(client.expect("EHLO client.test", "250").contains("STARTTLS"));
            client.expect("STARTTLS", "454 4.7.0");
            client.expect("NOOP", "250");
        }
    }

    @Test
    void implicitTlsListenerGreetsOverTls() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(Settings.with(s, "implicitTls", true),
                "authPlaintextLoopback", false));
        try (Socket raw = new Socket("127.0.0.1", server.port());
                SSLSocket tls = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                        .createSocket(raw, "127.0.0.1", server.port(), true)) {
            tls.startHandshake();
            byte[] greeting = new byte[64];
            int n = tls.getInputStream().read(greeting);
            assertTrue(new String(greeting, 0, n, StandardCharsets.US_ASCII).startsWith("220 mx.example.test ESMTP"));
            tls.getOutputStream().write("EHLO c\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] ehlo = new byte[512];
            String text = "";
            while (!text.contains("\r\n250 ")) {
                n = tls.getInputStream().read(ehlo);
                assertTrue(n > 0, "connection closed after " + text);
                text += new String(ehlo, 0, n, StandardCharsets.US_ASCII);
            }
            assertTrue(text.contains("AUTH PLAIN LOGIN") && !text.contains("STARTTLS"), text);
            assertTrue(text.endsWith("250-DSN\r\n250 REQUIRETLS\r\n"), "REQUIRETLS is offered over TLS: " + text);
        }
    }

    @Test
    void plaintextOnAnImplicitTlsPortIsClosedQuietly() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "implicitTls", true));
        try (LogCapture log = new LogCapture(); SmtpClient client = server.connect()) {
            client.send("EHLO client.test\r\n");
            assertTrue(client.closedByServer());
            Thread.sleep(200);
            assertEquals(List.of(), log.lines().stream().filter(line -> line.contains("WARN") || line.contains("ERROR")
                    || line.startsWith("\tat ")).toList());
        }
    }

    @Test
    void stalledTlsHandshakeIsClosedAfterTheTimeout() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(Settings.with(s, "implicitTls", true),
                "idleTimeout", java.time.Duration.ofSeconds(1)));
        try (SmtpClient client = server.connect()) {
            client.timeout(15_000);
            long start = System.nanoTime();
            assertTrue(client.closedByServer());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds >= 1 && seconds <= 10, seconds + " s");
        }
    }

    @Test
    void authLoginAndPlainWithoutInitialResponseAndCancel() throws Exception {
        server = TestServer.start(spool);
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("AUTH PLAIN", "503 5.5.1");
            client.expect("EHLO client.test", "250");
            client.expect("AUTH CRAM-MD5", "504 5.5.4");
            client.expect("AUTH LOGIN", "334 VXNlcm5hbWU6");
            client.expect(base64("bob@example.org"), "334 UGFzc3dvcmQ6");
            client.expect("*", "501 5.7.0");
            client.expect("AUTH PLAIN", "334 ");
            client.expect("*", "501 5.7.0");
            client.expect("AUTH PLAIN", "334 ");
            client.expect("not base64!", "501 5.5.2");
            client.expect("AUTH LOGIN", "334 VXNlcm5hbWU6");
            client.expect(base64("bob@example.org"), "334 UGFzc3dvcmQ6");
            client.expect(base64("hunter2"), "235 2.7.0");
            client.expect("MAIL FROM:<bob@example.org>", "250");
            client.expect("AUTH PLAIN", "503 5.5.1");
        }
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("AUTH PLAIN", "334 ");
            client.expect(plain("alice@example.org", "secret"), "235 2.7.0");
        }
    }

    @Test
    void failedAuthIsDelayedAndTheThirdFailureCloses() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "authFailureDelay", java.time.Duration.ofMillis(300)));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            long start = System.nanoTime();
            client.expect("AUTH PLAIN " + plain("alice", "wrong"), "535 5.7.8");
            assertTrue(System.nanoTime() - start >= 280_000_000L, "delayed");
            client.send("AUTH PLAIN " + plain("alice", "wrong") + "\r\nNOOP\r\n");
            client.expectReply("535 5.7.8");
            client.expectReply("250 2.0.0");
            client.expect("AUTH PLAIN " + plain("nobody", "x"), "535 5.7.8");
            client.expectReply("421 4.7.0");
            assertTrue(client.closedByServer());
        }
        assertEquals(List.of("alice", "alice", "nobody"), server.directory.authenticated);
    }

    @Test
    void defaultFailureDelayIsAboutOneSecond() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "authFailureDelay", java.time.Duration.ofSeconds(1)));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            long start = System.nanoTime();
            client.expect("AUTH PLAIN " + plain("alice", "wrong"), "535 5.7.8");
            assertTrue(System.nanoTime() - start >= 950_000_000L);
        }
    }

    @Test
    void submissionNeedsAuthAndTheUsersOwnSender() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "mode", Mode.SUBMISSION));
        assertTrue(server.settings.authRequired());
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("MAIL FROM:<alice@example.org>", "530 5.7.0");
            client.expect("AUTH PLAIN " + plain("alice", "secret"), "235");
            client.expect("MAIL FROM:<bob@example.org>", "553 5.7.1");
            client.expect("MAIL FROM:<ALICE@example.org>", "250");
            client.expect("RCPT TO:<friend@remote.test>", "250");
        }
    }

    @Test
    void authRequiredWithoutTlsAsksForStartTls() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(Settings.with(s, "mode", Mode.SUBMISSION),
                "authPlaintextLoopback", false));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("MAIL FROM:<alice@example.org>", "530 5.7.0 Must issue a STARTTLS command first");
        }
    }

    @Test
    void withoutDirectoryAuthFailsTemporarily() throws Exception {
        server = TestServer.start(spool);
        server.directoryPresent = false;
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("AUTH PLAIN " + plain("alice", "secret"), "454 4.7.0");
        }
    }

    static String plain(String user, String password) {
        return base64("\0" + user + "\0" + password);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
