package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.delivery.DeliveryResult;

/** The message: DATA and BDAT (RFC 3030), size limits, spooling and the delivery's answer. */
@Timeout(30)
class DataAndBdatTest {

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
    void bdatChunksPipelinedWithTheirCommands() throws Exception {
        server = TestServer.start(spool);
        try (SmtpClient client = session()) {
            client.send("BDAT 14\r\nSubject: c\r\n\r\nBDAT 8 LAST\r\n.\r\nend\r\nNOOP\r\n");
            client.expectReply("250 2.0.0 14 octets received");
            client.expectReply("250 2.0.0 OK: queued as");
            client.expectReply("250 2.0.0 OK");
            FakeDelivery.Delivered message = server.delivery.next();
            assertTrue(message.content().endsWith("\r\nSubject: c\r\n\r\n.\r\nend\r\n"), message.content());
            assertEquals(List.of("c"), message.subject());
        }
    }

    @Test
    void refusedBdatStillConsumesItsChunk() throws Exception {
        server = TestServer.start(spool);
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.send("BDAT 6\r\nQUIT\r\nNOOP\r\n");
            client.expectReply("503 5.5.1");
            client.expectReply("250 2.0.0");
            client.expect("BDAT x", "501 5.5.4");
            client.expect("BDAT 1 FIRST", "501 5.5.4");
            client.expect("MAIL FROM:<s@remote.test>", "250");
            client.send("BDAT 4\r\nNOOPBDAT 0 LAST\r\n");
            client.expectReply("554 5.5.1");
            client.expectReply("554 5.5.1");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.send("BDAT 2\r\nhi");
            client.expectReply("250 2.0.0 2 octets");
            client.expect("DATA", "503 5.5.1");
            client.send("BDAT 0 LAST\r\n");
            client.expectReply("250 2.0.0 OK: queued");
            assertTrue(server.delivery.next().content().endsWith("\r\nhi"));
        }
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedAtMail() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "maxMessageSize", 1000L));
        try (SmtpClient client = server.connect()) {
            client.reply();
            String ehlo = client.expect("EHLO client.test", "250");
            assertTrue(ehlo.contains("250-SIZE 1000"), ehlo);
            client.expect("MAIL FROM:<s@remote.test> SIZE=1001", "552 5.3.4");
            client.expect("MAIL FROM:<s@remote.test> SIZE=99999999999999999999", "552 5.3.4");
            client.expect("MAIL FROM:<s@remote.test> SIZE=1000", "250");
        }
    }

    @Test
    void messageOverTheLimitIsRefusedAfterItsEnd() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(Settings.with(s, "maxMessageSize", 1000L),
                "spoolThreshold", 100));
        try (SmtpClient client = session()) {
            client.expect("DATA", "354");
            client.expect("x".repeat(700) + "\r\n" + "y".repeat(700) + "\r\n.", "552 5.3.4");
            client.expect("RCPT TO:<alice@example.org>", "503 5.5.1");
            client.expect("MAIL FROM:<s@remote.test>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.send("BDAT 600\r\n" + "z".repeat(600) + "BDAT 600 LAST\r\n" + "z".repeat(600));
            client.expectReply("250 2.0.0 600 octets");
            client.expectReply("552 5.3.4");
            client.expect("NOOP", "250");
            assertTrue(server.delivery.delivered.isEmpty());
            assertEquals(List.of(), spoolFiles());
        }
    }

    @Test
    void largeMessageGoesThroughASpoolFileThatIsDeletedAfterwards() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "spoolThreshold", 4096));
        server.delivery.answer = transaction -> {
            assertEquals(1, spoolFiles().size(), "spooled to a file during delivery");
            return DeliveryResult.accepted(transaction.id());
        };
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            body.append("line ").append(i).append(" of a long message\r\n");
        }
        try (SmtpClient client = session()) {
            client.expect("DATA", "354");
            client.expect("Subject: big\r\n\r\n" + body + ".", "250 2.0.0");
        }
        FakeDelivery.Delivered message = server.delivery.next();
        assertTrue(message.content().endsWith("Subject: big\r\n\r\n" + body), "content intact");
        assertEquals(List.of("big"), message.subject());
        assertEquals(List.of(), spoolFiles());
    }

    @Test
    void refusalFromTheDeliveryPipelineReachesTheClient() throws Exception {
        server = TestServer.start(spool);
        server.delivery.answer = transaction -> new DeliveryResult(DeliveryResult.Outcome.REJECTED, 550, "5.7.1",
                "Message refused as spam", transaction.id());
        try (SmtpClient client = session()) {
            client.expect("DATA", "354");
            client.expect("spam\r\n.", "550 5.7.1 Message refused as spam");
            client.expect("RCPT TO:<alice@example.org>", "503 5.5.1");
        }
    }

    @Test
    void failingDeliveryAnswers451AndTheSessionGoesOn() throws Exception {
        server = TestServer.start(spool);
        server.delivery.answer = transaction -> {
            throw new IllegalStateException("disk on fire");
        };
        try (SmtpClient client = session()) {
            client.expect("DATA", "354");
            String reply = client.command("x\r\n.");
            assertEquals("451 4.3.0 Local error in processing, try again later", reply);
            client.expect("NOOP", "250");
        }
    }

    @Test
    void withoutDeliveryServiceMailIsDeferredUntilItReturns() throws Exception {
        server = TestServer.start(spool);
        server.deliveryPresent = false;
        try (SmtpClient client = session()) {
            client.expect("DATA", "451 4.3.0 Mail store unavailable, try again later");
            client.expect("MAIL FROM:<s@remote.test>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.send("BDAT 1 LAST\r\nx");
            client.expectReply("451 4.3.0 Mail store unavailable");
            server.deliveryPresent = true;
            client.expect("MAIL FROM:<s@remote.test>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("DATA", "354");
            client.expect("x\r\n.", "250 2.0.0");
        }
    }

    /** A session with MAIL and one accepted RCPT done. */
    private SmtpClient session() throws Exception {
        SmtpClient client = server.connect();
        client.reply();
        client.expect("EHLO client.test", "250");
        client.expect("MAIL FROM:<s@remote.test>", "250");
        client.expect("RCPT TO:<alice@example.org>", "250");
        return client;
    }

    private List<Path> spoolFiles() {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
