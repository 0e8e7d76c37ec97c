package org.postbus.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;

/** STARTTLS as a client against a real TLS server; REQUIRETLS (RFC 8689); TLS-Required: No. */
class TlsDeliveryTest extends QueueTestBase {

    @Test
    void opportunisticStarttlsReallyEncryptsEvenWithAnUntrustedCertificate() throws Exception {
        smtp.tls = new TestCertificates("unrelated.test").serverContext;
        queue = start(Map.of());
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message("over tls\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertTrue(r.tls(), "the message travelled inside the TLS session");
        assertTrue(r.tlsProtocol().startsWith("TLSv1."), r.tlsProtocol());
        assertTrue(smtp.commands.indexOf("STARTTLS") < smtp.commands.indexOf(
                smtp.commands.stream().filter(c -> c.startsWith("MAIL")).findFirst().orElseThrow()));
        assertEquals(2, smtp.commands.stream().filter(c -> c.startsWith("EHLO")).count(), "EHLO again after TLS");
    }

    @Test
    void requireTlsGoesOverVerifiedTlsToAServerOfferingIt() throws Exception {
        TestCertificates cert = new TestCertificates("mx.remote.test");
        smtp.tls = cert.serverContext;
        smtp.extensions = List.of("SIZE 1000000", "REQUIRETLS");
        queue = start(Map.of("tls_truststore", cert.trustStore(dir).toString(), "tls_truststore_password", "test"));
        queue.enqueue(envelope(Optional.empty(), null, true, rcpt("bob@remote.test", Set.of(), null)),
                Contents.of(message("secret\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertTrue(r.tls());
        assertTrue(smtp.commands.stream().anyMatch(c -> c.startsWith("MAIL FROM:<alice@sender.test>")
                && c.endsWith(" REQUIRETLS")), smtp.commands.toString());
        await(() -> queue.list().isEmpty());
    }

    @Test
    void requireTlsBouncesWith5710WhenTheServerDoesNotOfferIt() throws Exception {
        TestCertificates cert = new TestCertificates("mx.remote.test", "mx.sender.test");
        smtp.tls = cert.serverContext;
        queue = start(Map.of("tls_truststore", cert.trustStore(dir).toString(), "tls_truststore_password", "test"));
        queue.enqueue(envelope(Optional.empty(), null, true, rcpt("bob@remote.test", Set.of(), null)),
                Contents.of(message("secret-body\r\n")));
        TestSmtpServer.Received bounce = smtp.next();
        assertNotNull(bounce);
        assertEquals("", bounce.sender());
        String text = bounce.text();
        assertTrue(text.contains("Status: 5.7.10"), text);
        assertTrue(text.contains("REQUIRETLS needed"), text);
        assertTrue(text.contains("does not offer REQUIRETLS"), text);
        // The bounce itself is an ordinary message: no REQUIRETLS on its MAIL.
        assertTrue(smtp.commands.stream().filter(c -> c.startsWith("MAIL")).noneMatch(c -> c.contains("REQUIRETLS")));
        assertNull(smtp.received.poll(), "the original was not delivered");
        await(() -> queue.list().isEmpty());
    }

    @Test
    void requireTlsBouncesWhenTheCertificateDoesNotNameTheMxHost() throws Exception {
        TestCertificates cert = new TestCertificates("someone-else.test");
        smtp.tls = cert.serverContext;
        smtp.extensions = List.of("REQUIRETLS");
        queue = start(Map.of("tls_truststore", cert.trustStore(dir).toString(), "tls_truststore_password", "test"));
        queue.enqueue(envelope(Optional.empty(), null, true, rcpt("bob@remote.test", Set.of(), null)),
                Contents.of(message("secret-body\r\n")));
        TestSmtpServer.Received bounce = smtp.next();
        assertNotNull(bounce);
        assertEquals("", bounce.sender());
        assertTrue(bounce.text().contains("Status: 5.7.10"), bounce.text());
        assertTrue(bounce.text().contains("TLS handshake with mx.remote.test"), bounce.text());
        assertFalse(bounce.text().contains("secret-body\r\n") && bounce.recipients().contains("bob@remote.test"));
    }

    @Test
    void requireTlsBouncesWhenTheCertificateIsNotTrusted() throws Exception {
        smtp.tls = new TestCertificates("mx.remote.test").serverContext;
        smtp.extensions = List.of("REQUIRETLS");
        queue = start(Map.of());
        queue.enqueue(envelope(Optional.empty(), null, true, rcpt("bob@remote.test", Set.of(), null)),
                Contents.of(message("x\r\n")));
        TestSmtpServer.Received bounce = smtp.next();
        assertNotNull(bounce);
        assertEquals("", bounce.sender());
        assertTrue(bounce.text().contains("Status: 5.7.10"), bounce.text());
    }

    @Test
    void tlsRequiredNoDeliversInPlainTextToADomainThatRequiresTls() throws Exception {
        queue = start(Map.of("tls_required_domains", "remote.test"));
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message("TLS-Required: No\r\n", "not secret\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertFalse(r.tls());
        await(() -> queue.list().isEmpty());
    }

    @Test
    void aFailedOpportunisticHandshakeFallsBackToPlainText() throws Exception {
        // The server offers STARTTLS but cannot complete a handshake (no key).
        smtp.tls = javax.net.ssl.SSLContext.getInstance("TLS");
        smtp.tls.init(null, null, null);
        queue = start(Map.of());
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message("plain\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertFalse(r.tls());
        assertEquals(2, smtp.sessions.get(), "one failed TLS session, one plain");
    }
}
