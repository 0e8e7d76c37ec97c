package org.postbus.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;

/** All remote mail through a smarthost, with TLS and AUTH. */
class SmarthostTest extends QueueTestBase {

    private TestCertificates cert;
    private Map<String, Object> relay;

    @BeforeEach
    void smarthost() throws Exception {
        cert = new TestCertificates("localhost");
        smtp.tls = cert.serverContext;
        smtp.authUser = "relay-user";
        smtp.authPassword = "relay secret";
        relay = new HashMap<>();
        // No DNS answers for these domains: only the smarthost can take them.
        relay.put("dns_server", "127.0.0.1:1");
        relay.put("relay_host", "localhost");
        relay.put("relay_port", smtp.port());
        relay.put("relay_username", "relay-user");
        relay.put("relay_password", "relay secret");
        relay.put("tls_truststore", cert.trustStore(dir).toString());
        relay.put("tls_truststore_password", "test");
    }

    @Test
    void starttlsThenAuthPlainThenTheMessage() throws Exception {
        queue = start(relay);
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@nowhere.example"),
                MailAddress.parse("carol@elsewhere.example")), Contents.of(message("via relay\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertTrue(r.tls(), "TLS before AUTH");
        assertEquals(List.of("bob@nowhere.example", "carol@elsewhere.example"), r.recipients(), "one transaction");
        assertEquals(List.of("relay-user"), smtp.authenticated);
        assertTrue(smtp.commands.stream().anyMatch(c -> c.startsWith("AUTH PLAIN ")), smtp.commands.toString());
        await(() -> queue.list().isEmpty());
    }

    @Test
    void implicitTlsWithAuthLoginAndThePasswordFromAFile() throws Exception {
        smtp.implicitTls = true;
        smtp.authMechanisms = "LOGIN";
        Path secret = dir.resolve("relay.secret");
        Files.writeString(secret, "relay secret\n");
        relay.put("relay_tls", "implicit");
        relay.put("relay_password", "");
        relay.put("relay_password_file", secret.toString());
        queue = start(relay);
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@nowhere.example")),
                Contents.of(message("x\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertTrue(r.tls());
        assertTrue(smtp.commands.contains("AUTH LOGIN"), smtp.commands.toString());
        assertEquals(List.of("relay-user"), smtp.authenticated);
    }

    @Test
    void aPermanentRefusalBouncesAndATemporaryOneIsRetried() throws Exception {
        smtp.rcptReply = r -> r.startsWith("gone") ? "550 5.1.1 unknown" : r.startsWith("busy") ? "450 4.2.1 busy"
                : "250 OK";
        queue = start(relay);
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("gone@nowhere.example"),
                MailAddress.parse("busy@nowhere.example")), Contents.of(message("x\r\n")));
        TestSmtpServer.Received bounce = smtp.next();
        assertNotNull(bounce);
        assertEquals("", bounce.sender());
        assertEquals(List.of("alice@sender.test"), bounce.recipients(), "the bounce goes through the smarthost too");
        assertTrue(bounce.text().contains("Final-Recipient: rfc822; gone@nowhere.example"), bounce.text());
        await(() -> queue.get(id).map(e -> e.attempts() >= 2).orElse(false));
        assertEquals(List.of(MailAddress.parse("busy@nowhere.example")), queue.get(id).orElseThrow().recipients());
        assertEquals(Optional.of("450 4.2.1 busy"), queue.get(id).orElseThrow().lastError());
    }

    @Test
    void aWrongPasswordDefersInsteadOfBouncing() throws Exception {
        relay.put("relay_password", "wrong");
        relay.put("retry_schedule_minutes", "60");
        queue = start(relay);
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@nowhere.example")),
                Contents.of(message("x\r\n")));
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        assertTrue(queue.get(id).orElseThrow().lastError().orElseThrow().contains("authentication"),
                queue.get(id).toString());
    }

    @Test
    void anUntrustedSmarthostCertificateIsRefused() throws Exception {
        relay.remove("tls_truststore");
        relay.put("retry_schedule_minutes", "60");
        queue = start(relay);
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@nowhere.example")),
                Contents.of(message("x\r\n")));
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        assertTrue(queue.get(id).orElseThrow().lastError().orElseThrow().contains("TLS handshake"),
                queue.get(id).toString());
        assertTrue(smtp.authenticated.isEmpty());
    }
}
