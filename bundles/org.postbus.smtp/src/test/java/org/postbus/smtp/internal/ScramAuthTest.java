package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ongres.scram.client.ScramClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AUTH SCRAM-SHA-256 (RFC 4954, RFC 7677) with a real SCRAM client (com.ongres.scram) on a raw connection. */
@Timeout(30)
class ScramAuthTest {

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

    private static ScramClient client(String user, String password) {
        return ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256")).username(user)
                .password(password.toCharArray()).build();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String reply) {
        return new String(Base64.getDecoder().decode(reply.substring(4)), StandardCharsets.UTF_8);
    }

    /** Runs the exchange after AUTH; returns the final reply. */
    private static String exchange(SmtpClient smtp, ScramClient scram, boolean initialResponse) throws Exception {
        String serverFirst;
        if (initialResponse) {
            serverFirst = smtp.expect("AUTH SCRAM-SHA-256 " + b64(scram.clientFirstMessage().toString()), "334 ");
        } else {
            assertEquals("334 ", smtp.command("AUTH SCRAM-SHA-256"));
            serverFirst = smtp.expect(b64(scram.clientFirstMessage().toString()), "334 ");
        }
        scram.serverFirstMessage(unb64(serverFirst));
        String reply = smtp.command(b64(scram.clientFinalMessage().toString()));
        if (!reply.startsWith("334 ")) {
            return reply;
        }
        // Throws unless the server proved that it knows the credential.
        scram.serverFinalMessage(unb64(reply));
        return smtp.command("");
    }

    @Test
    void advertisedAndWorksWithAndWithoutInitialResponse() throws Exception {
        try (SmtpClient smtp = server.connect()) {
            smtp.reply();
            String ehlo = smtp.expect("EHLO client.test", "250");
            assertTrue(ehlo.contains("\n250-AUTH PLAIN LOGIN SCRAM-SHA-256\n"), ehlo);
            assertEquals("235 2.7.0 Authentication successful",
                    exchange(smtp, client("alice@example.org", "secret"), false));
            smtp.expect("MAIL FROM:<alice@example.org>", "250");
            smtp.expect("RCPT TO:<friend@remote.test>", "250 2.1.5");
        }
        try (SmtpClient smtp = server.connect()) {
            smtp.reply();
            smtp.expect("EHLO client.test", "250");
            assertEquals("235 2.7.0 Authentication successful", exchange(smtp, client("bob", "hunter2"), true));
            String again = smtp.expect("EHLO client.test", "250");
            assertFalse(again.contains("AUTH"), again);
        }
        assertTrue(server.directory.threads.stream().allMatch(name -> name.contains("worker")),
                "the directory is called on workers only: " + server.directory.threads);
    }

    @Test
    void wrongPasswordAndUnknownUserGet535() throws Exception {
        try (SmtpClient smtp = server.connect()) {
            smtp.reply();
            smtp.expect("EHLO client.test", "250");
            assertTrue(exchange(smtp, client("alice@example.org", "wrong"), false).startsWith("535 5.7.8"));
            assertTrue(exchange(smtp, client("nobody@example.org", "secret"), true).startsWith("535 5.7.8"));
            smtp.expect("MAIL FROM:<a@example.org>", "250");
            smtp.expect("RCPT TO:<friend@remote.test>", "554 5.7.1");
        }
    }

    @Test
    void cancelAndGarbageEndTheExchange() throws Exception {
        try (SmtpClient smtp = server.connect()) {
            smtp.reply();
            smtp.expect("EHLO client.test", "250");
            smtp.expect("AUTH SCRAM-SHA-256", "334 ");
            smtp.expect("*", "501 5.7.0");
            smtp.expect("AUTH SCRAM-SHA-256", "334 ");
            smtp.expect("not base64!", "501 5.5.2");
            smtp.expect("AUTH SCRAM-SHA-256 " + b64("n,,n=alice,r=abc"), "334 ");
            smtp.expect("*", "501 5.7.0");
            smtp.expect("AUTH SCRAM-SHA-256 " + b64("garbage"), "535 5.7.8");
            smtp.expect("NOOP", "250");
        }
    }

    @Test
    void notAdvertisedNorAcceptedWhenTheDirectoryDoesNotOfferIt() throws Exception {
        server.directory.scram = false;
        try (SmtpClient smtp = server.connect()) {
            smtp.reply();
            String ehlo = smtp.expect("EHLO client.test", "250");
            assertTrue(ehlo.contains("\n250-AUTH PLAIN LOGIN\n"), ehlo);
            smtp.expect("AUTH SCRAM-SHA-256", "504 5.5.4");
        }
        server.directory.scram = true;
        server.directoryPresent = false;
        try (SmtpClient smtp = server.connect()) {
            smtp.reply();
            String ehlo = smtp.expect("EHLO client.test", "250");
            assertTrue(ehlo.contains("\n250-AUTH PLAIN LOGIN\n"), ehlo);
            smtp.expect("AUTH SCRAM-SHA-256", "504 5.5.4");
        }
    }

    @Test
    void needsTlsLikeAnyMechanism() throws Exception {
        server.close();
        server = TestServer.start(spool, s -> Settings.with(s, "authPlaintextLoopback", false));
        try (SmtpClient smtp = server.connect()) {
            smtp.reply();
            smtp.expect("EHLO client.test", "250");
            smtp.expect("AUTH SCRAM-SHA-256", "538 5.7.11");
            smtp.expect("STARTTLS", "220");
            smtp.startTls();
            String ehlo = smtp.expect("EHLO client.test", "250");
            assertTrue(ehlo.contains("SCRAM-SHA-256"), ehlo);
            assertEquals("235 2.7.0 Authentication successful", exchange(smtp, client("alice", "secret"), true));
        }
    }
}
