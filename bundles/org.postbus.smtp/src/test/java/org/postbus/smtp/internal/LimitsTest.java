package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Limits on recipients, errors, connections and time, each with its reply. */
@Timeout(30)
class LimitsTest {

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
    void tooManyRecipientsGet452() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "maxRecipients", 2));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("HELO client.test", "250");
            client.expect("MAIL FROM:<>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("RCPT TO:<bob@example.org>", "250");
            client.expect("RCPT TO:<postmaster@example.org>", "452 4.5.3");
            client.expect("DATA", "354");
            client.expect(".", "250");
            assertEquals(2, server.delivery.next().recipients().size());
        }
    }

    @Test
    void tooManyErrorsClose() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "maxErrors", 3));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("FOO", "500");
            client.expect("BAR", "500");
            client.expect("BAZ", "500 5.5.1");
            client.expectReply("421 4.7.0");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "maxConnectionsPerIp", 2));
        try (SmtpClient first = server.connect(); SmtpClient second = server.connect()) {
            first.expectReply("220");
            second.expectReply("220");
            try (SmtpClient third = server.connect()) {
                third.expectReply("421 4.7.0");
                assertTrue(third.closedByServer());
            }
            first.expect("QUIT", "221");
            assertTrue(first.closedByServer());
            waitFor(() -> server.listener.openConnections() == 1);
            try (SmtpClient again = server.connect()) {
                again.expectReply("220");
            }
        }
    }

    @Test
    void totalConnectionsAreLimited() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "maxConnections", 1));
        try (SmtpClient first = server.connect()) {
            // Greeted first: two connections made at once may be admitted in either order.
            first.expectReply("220");
            try (SmtpClient second = server.connect()) {
                second.expectReply("421 4.7.0 mx.example.test Too many connections");
            }
        }
    }

    @Test
    void idleConnectionTimesOut() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "idleTimeout", Duration.ofSeconds(1)));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            long start = System.nanoTime();
            client.expectReply("421 4.4.2 mx.example.test Error: timeout exceeded");
            assertTrue(System.nanoTime() - start >= 900_000_000L);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void stalledMessageTimesOutWithTheCommandTimeout() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(Settings.with(s, "commandTimeout", Duration.ofSeconds(1)),
                "idleTimeout", Duration.ofSeconds(60)));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("MAIL FROM:<>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("DATA", "354");
            client.send("Subject: half a message\r\n");
            client.expectReply("421 4.4.2");
            assertTrue(client.closedByServer());
        }
        assertTrue(server.delivery.delivered.isEmpty());
        waitFor(() -> server.listener.openConnections() == 0);
    }

    @Test
    void slowDeliveryIsNotATimeout() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "commandTimeout", Duration.ofSeconds(1)));
        server.delivery.answer = transaction -> {
            sleep(2500);
            return org.postbus.api.delivery.DeliveryResult.accepted(transaction.id());
        };
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("HELO client.test", "250");
            client.expect("MAIL FROM:<>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("DATA", "354");
            client.expect("x\r\n.", "250 2.0.0");
            client.expect("NOOP", "250");
        }
    }

    @Test
    void stoppingTheListenerSays421() throws Exception {
        server = TestServer.start(spool);
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            server.close();
            client.expectReply("421 4.3.2");
            assertTrue(client.closedByServer());
            assertEquals("stopped", server.listener.health().detail());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
