package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;

/** Scripted conversations over a real socket: the commands of RFC 5321 and their replies. */
@Timeout(30)
class ConversationTest {

    @TempDir
    Path spool;
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(spool);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void greetingAndEhloListTheExtensionsOffered() throws Exception {
        try (SmtpClient client = server.connect()) {
            assertEquals("220 mx.example.test ESMTP Postbus", client.reply());
            String ehlo = client.expect("EHLO client.test", "250-mx.example.test Hello client.test");
            List<String> keywords = ehlo.lines().skip(1).map(line -> line.substring(4)).toList();
            assertEquals(List.of("PIPELINING", "SIZE 52428800", "8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS",
                    "AUTH PLAIN LOGIN SCRAM-SHA-256", "SMTPUTF8", "CHUNKING", "DSN"), keywords);
        }
    }

    @Test
    void messageIsDeliveredWithTraceFieldAndDotsUnstuffed() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("MAIL FROM:<sender@remote.test> SIZE=100 BODY=8BITMIME", "250 2.1.0");
            client.expect("RCPT TO:<alice@example.org>", "250 2.1.5");
            client.expect("DATA", "354 ");
            String reply = client.command("Subject: hello\r\n\r\n..leading dot\r\nline\r\n.");
            FakeDelivery.Delivered message = server.delivery.next();
            assertEquals("250 2.0.0 OK: queued as " + message.id(), reply);
            assertEquals(MailAddress.parse("sender@remote.test"), message.sender().orElseThrow());
            assertEquals(List.of(MailAddress.parse("alice@example.org")), message.recipients());
            assertEquals("client.test", message.helo());
            assertFalse(message.secure());
            assertEquals(List.of("hello"), message.subject());
            assertTrue(message.content().matches("(?s)Received: from client\\.test \\(\\[127\\.0\\.0\\.1\\]\\)\r\n"
                    + "\tby mx\\.example\\.test \\(Postbus\\) with ESMTP id " + message.id() + "\r\n"
                    + "\tfor <alice@example\\.org>;\r\n\t\\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\r\n"
                    + "Subject: hello\r\n\r\n\\.leading dot\r\nline\r\n"), message.content());
            assertEquals(message.content().length(), message.size());
            assertFalse(message.thread().contains("NioProcessor"), message.thread());
            assertTrue(server.directory.threads.stream().noneMatch(t -> t.contains("NioProcessor")));
            client.expect("QUIT", "221 2.0.0");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void nullSenderAndSeveralRecipientsGetNoForClause() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("HELO client.test", "250 mx.example.test");
            client.expect("MAIL FROM:<>", "250 2.1.0");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("RCPT TO:<bob@example.org>", "250");
            client.expect("DATA", "354");
            client.expect("x\r\n.", "250 2.0.0");
            FakeDelivery.Delivered message = server.delivery.next();
            assertTrue(message.sender().isEmpty());
            assertTrue(message.content().contains("with SMTP id " + message.id() + ";\r\n"), message.content());
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.send("EHLO client.test\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@example.org>\r\n"
                    + "RCPT TO:<nobody@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n");
            client.expectReply("250-mx.example.test");
            client.expectReply("250 2.1.0");
            client.expectReply("250 2.1.5");
            client.expectReply("550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown");
            client.expectReply("250 2.1.5");
            client.expectReply("354");
            client.send("Subject: p\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n");
            client.expectReply("250 2.0.0");
            client.expectReply("250 2.1.0");
            client.expectReply("250 2.1.5");
            client.expectReply("354");
            client.send("second\r\n.\r\nQUIT\r\n");
            client.expectReply("250 2.0.0");
            client.expectReply("221");
            assertEquals(List.of(MailAddress.parse("alice@example.org"), MailAddress.parse("bob@example.org")),
                    server.delivery.next().recipients());
            assertTrue(server.delivery.next().content().endsWith("\r\nsecond\r\n"));
        }
    }

    @Test
    void bareLineFeedInACommandIsRefused() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.send("EHLO client.test\nNOOP\r\n");
            client.expectReply("500 5.5.2");
            client.expect("NOOP", "250 2.0.0");
        }
    }

    @Test
    void overlongCommandLineIsRefused() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("NOOP " + "x".repeat(1000), "500 5.5.6");
            client.expect("NOOP " + "x".repeat(993), "250");
        }
    }

    @Test
    void smugglingAttemptDoesNotEndTheDataEarly() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("MAIL FROM:<s@remote.test>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("DATA", "354");
            client.send("Subject: smuggle\r\n\r\nhi\n.\nMAIL FROM:<admin@example.org>\r\nRCPT TO:<bob@example.org>\r\n"
                    + "DATA\r\nfake\r\n\r.\rmore\r\n.\r\n");
            client.expectReply("250 2.0.0");
            client.expect("NOOP", "250 2.0.0");
            FakeDelivery.Delivered message = server.delivery.next();
            assertEquals(List.of(MailAddress.parse("alice@example.org")), message.recipients());
            assertTrue(message.content().endsWith("hi\r\n.\r\nMAIL FROM:<admin@example.org>\r\nRCPT TO:<bob@example.org>\r\n"
                    + "DATA\r\nfake\r\n\r\n.\r\nmore\r\n"), message.content());
            assertTrue(server.delivery.delivered.isEmpty(), "one message only");
        }
    }

    @Test
    void postmasterWithoutDomainIsAccepted() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("HELO client.test", "250");
            client.expect("MAIL FROM:<>", "250");
            client.expect("RCPT TO:<Postmaster>", "250 2.1.5 Recipient <postmaster@example.org> OK");
        }
    }
}
