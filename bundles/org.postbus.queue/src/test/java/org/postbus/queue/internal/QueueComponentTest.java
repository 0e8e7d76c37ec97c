package org.postbus.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.QueueEntry;

/** The queue against a real receiving SMTP server and a real DNS server, both on loopback. */
class QueueComponentTest extends QueueTestBase {

    @Test
    void deliversExactBytesWithDotStuffingAndRemovesTheMessage() throws Exception {
        queue = start(Map.of());
        byte[] bytes = message("line one\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n");
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(bytes));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertEquals("alice@sender.test", r.sender());
        assertEquals(List.of("bob@remote.test"), r.recipients());
        assertEquals(new String(bytes, StandardCharsets.UTF_8), r.text());
        await(() -> queue.get(id).isEmpty() && !queue.onDisk(id));
        assertTrue(smtp.commands.stream().anyMatch(c -> c.equals("MAIL FROM:<alice@sender.test> SIZE=" + bytes.length)));
        assertTrue(smtp.commands.contains("EHLO queue.test"));
    }

    @Test
    void fallsBackToTheAddressRecordWithoutMx() throws Exception {
        queue = start(Map.of());
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("carol@nomx.test")), Contents.of(message("x\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertEquals(List.of("carol@nomx.test"), r.recipients());
    }

    @Test
    void retriesAfterTemporaryFailureThenDelivers() throws Exception {
        smtp.rcptReply = rcpt -> "451 4.3.0 try later";
        queue = start(Map.of());
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message("retry\r\n")));
        await(() -> queue.get(id).map(e -> e.attempts() >= 1).orElse(false));
        QueueEntry e = queue.get(id).orElseThrow();
        assertEquals(Optional.of("451 4.3.0 try later"), e.lastError());
        smtp.rcptReply = rcpt -> "250 OK";
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertEquals("alice@sender.test", r.sender());
        await(() -> queue.get(id).isEmpty());
    }

    @Test
    void permanentRecipientFailureBouncesAnRfc3464ReportWithTheWholeMessage() throws Exception {
        smtp.rcptReply = rcpt -> rcpt.startsWith("nobody") ? "550 5.1.1 no such user" : "250 OK";
        queue = start(Map.of());
        String id = queue.enqueue(Optional.of(SENDER),
                List.of(MailAddress.parse("bob@remote.test"), MailAddress.parse("nobody@remote.test")),
                Contents.of(message("secret-body-text\r\n")));
        TestSmtpServer.Received first = smtp.next();
        TestSmtpServer.Received second = smtp.next();
        assertNotNull(second);
        TestSmtpServer.Received original = first.sender().isEmpty() ? second : first;
        TestSmtpServer.Received dsn = first.sender().isEmpty() ? first : second;
        assertEquals(List.of("bob@remote.test"), original.recipients());
        assertEquals("", dsn.sender(), "a bounce has the null sender");
        assertEquals(List.of("alice@sender.test"), dsn.recipients());
        String text = dsn.text();
        assertTrue(text.contains("Content-Type: multipart/report; report-type=delivery-status;"), text);
        assertTrue(text.contains("Content-Type: message/delivery-status"), text);
        assertTrue(text.contains("Reporting-MTA: dns; queue.test"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; nobody@remote.test"), text);
        assertFalse(text.contains("Final-Recipient: rfc822; bob@remote.test"), text);
        assertTrue(text.contains("Action: failed"), text);
        assertTrue(text.contains("Status: 5.1.1"), text);
        assertTrue(text.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user"), text);
        assertTrue(text.contains("Remote-MTA: dns; mx.remote.test"), text);
        // Without RET, the whole message comes back when it is small enough.
        assertTrue(text.contains("Content-Type: message/rfc822\r\nContent-Description: Undelivered message"
                + "\r\n\r\nFrom: alice@sender.test\r\nTo: bob@remote.test\r\nSubject: hello\r\n\r\nsecret-body-text\r\n"),
                text);
        await(() -> queue.get(id).isEmpty() && queue.list().isEmpty());
    }

    @Test
    void nullMxBouncesAtOnce() throws Exception {
        queue = start(Map.of());
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("dan@nullmx.test")), Contents.of(message("x\r\n")));
        TestSmtpServer.Received dsn = smtp.next();
        assertNotNull(dsn);
        assertEquals("", dsn.sender());
        assertTrue(dsn.text().contains("Final-Recipient: rfc822; dan@nullmx.test"));
        assertTrue(dsn.text().contains("Status: 5.1.10"), dsn.text());
        await(() -> queue.list().isEmpty());
    }

    @Test
    void bounceIsNeverBounced() throws Exception {
        queue = start(Map.of());
        queue.enqueue(Optional.empty(), List.of(MailAddress.parse("dan@nullmx.test")), Contents.of(message("x\r\n")));
        await(() -> queue.list().isEmpty());
        Thread.sleep(300);
        assertNull(smtp.received.poll());
    }

    @Test
    void lifetimeExpiryBounces() throws Exception {
        smtp.rcptReply = rcpt -> rcpt.startsWith("alice") ? "250 OK" : "452 4.2.2 mailbox full";
        queue = start(Map.of("max_lifetime_hours", 0.0003));
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")), Contents.of(message("x\r\n")));
        TestSmtpServer.Received dsn = smtp.next();
        assertNotNull(dsn);
        assertEquals(List.of("alice@sender.test"), dsn.recipients());
        String text = dsn.text();
        assertTrue(text.contains("Final-Recipient: rfc822; bob@remote.test"), text);
        assertTrue(text.contains("Action: failed"), text);
        assertTrue(text.contains("Status: 4.2.2"), text);
        assertTrue(text.contains("delivery time expired"), text);
        await(() -> queue.list().isEmpty());
    }

    @Test
    void survivesARestartAndDeliversFromDisk() throws Exception {
        int live = smtp.port();
        // First life: the receiving server is unreachable, the message waits an hour.
        queue = start(Map.of("port", 1, "retry_schedule_minutes", "60"));
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message("durable\r\n")));
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        queue.deactivate();
        // Second life on the same folder, as after a restart.
        queue = start(Map.of("port", live, "retry_schedule_minutes", "60"));
        QueueEntry e = queue.get(id).orElseThrow();
        assertEquals(1, e.attempts());
        assertEquals(List.of(MailAddress.parse("bob@remote.test")), e.recipients());
        assertTrue(e.lastError().orElseThrow().startsWith("451 4.4.1"), e.lastError().toString());
        assertTrue(queue.retry(id));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertTrue(r.text().endsWith("durable\r\n"));
        await(() -> queue.list().isEmpty() && !queue.onDisk(id));
    }

    @Test
    void listRetryAndDelete() throws Exception {
        queue = start(Map.of("port", 1, "retry_schedule_minutes", "60"));
        String a = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message("a\r\n")));
        String b = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("eve@remote.test")),
                Contents.of(message("b\r\n")));
        await(() -> queue.list().stream().allMatch(e -> e.attempts() == 1));
        assertEquals(List.of(a, b), queue.list().stream().map(QueueEntry::id).toList());
        assertTrue(queue.retry(a));
        await(() -> queue.get(a).orElseThrow().attempts() == 2);
        assertEquals(1, queue.get(b).orElseThrow().attempts());
        assertTrue(queue.delete(b));
        assertFalse(queue.delete(b));
        assertFalse(queue.retry(b));
        assertFalse(queue.onDisk(b));
        assertEquals(List.of(a), queue.list().stream().map(QueueEntry::id).toList());
        assertTrue(queue.check().up());
        assertTrue(queue.check().detail().startsWith("1 queued"), queue.check().detail());
    }

    @Test
    void requiredTlsDefersWhenTheServerOffersNoStarttls() throws Exception {
        queue = start(Map.of("tls_required_domains", "remote.test", "retry_schedule_minutes", "60"));
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message("secret\r\n")));
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        assertTrue(queue.get(id).orElseThrow().lastError().orElseThrow().contains("STARTTLS"));
        assertNull(smtp.received.poll());
    }

    @Test
    void dnsServerSettingIsCheckedAtStartWithoutDnsjava() throws Exception {
        assertEquals(Optional.empty(), QueueComponent.dnsServer(" "));
        assertEquals(Optional.of(new java.net.InetSocketAddress("127.0.0.1", 5353)),
                QueueComponent.dnsServer("127.0.0.1:5353"));
        assertEquals(Optional.of(new java.net.InetSocketAddress("::1", 53)), QueueComponent.dnsServer("::1"));
        assertThrows(java.net.UnknownHostException.class, () -> QueueComponent.dnsServer("no-such-host.invalid:53"));

        // A setting that cannot work still keeps the queue down at start, as when dnsjava was made then.
        queue = start(Map.of("dns_server", "127.0.0.1:not-a-port"));
        assertFalse(queue.check().up());
        assertTrue(queue.check().detail().contains("not-a-port"), queue.check().detail());
    }

    @Test
    void startsWithoutResolvingAndResolvesAtTheFirstDelivery() throws Exception {
        queue = start(Map.of());
        assertTrue(queue.check().up(), queue.check().detail());
        assertFalse(queue.resolverMade(), "dnsjava is left alone until a message goes out");
        assertEquals(0, dns.queries());

        queue.enqueue(envelope(Optional.empty(), null, false, rcpt("bob@remote.test", Set.of(), null)),
                Contents.of(message("lazy")));
        assertNotNull(smtp.next());
        assertTrue(queue.resolverMade());
        assertTrue(dns.queries() > 0);
    }
}
