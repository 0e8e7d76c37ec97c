package org.postbus.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.directory.Directory;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;

/** RFC 3461/3464: envelope parameters kept on disk and passed on, and every kind of notice. */
class DsnNotificationTest extends QueueTestBase {

    private static final Set<DsnNotify> SUCCESS_FAILURE = Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE);

    @Test
    void envelopeParametersAreKeptOnDiskAcrossARestart() throws Exception {
        queue = start(Map.of("port", 1, "retry_schedule_minutes", "60"));
        Envelope env = new Envelope(Optional.of(SENDER), List.of(
                rcpt("bob@remote.test", SUCCESS_FAILURE, "rfc822;Bob@Original.test"),
                rcpt("eve@remote.test", Set.of(DsnNotify.NEVER), null)),
                Optional.of(DsnReturn.HDRS), Optional.of("env id+42"), true, true);
        String id = queue.enqueue(env, Contents.of(message("x\r\n")));
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        queue.deactivate();
        List<QueuedMessage> loaded = new QueueStore(dir.resolve("queue")).load();
        assertEquals(1, loaded.size());
        assertEquals(env, loaded.get(0).envelope());
    }

    @Test
    void aSpoolEntryWrittenBeforeTheParametersExistedIsStillDelivered() throws Exception {
        Path folder = dir.resolve("queue").resolve("0000000000001old00001");
        Files.createDirectories(folder);
        byte[] bytes = message("from an older version\r\n");
        Files.write(folder.resolve(QueueStore.CONTENT), bytes);
        Files.writeString(folder.resolve(QueueStore.ENVELOPE), String.join("\n",
                "#Postbus outbound queue envelope", "attempts=2", "id=0000000000001old00001",
                "next=2020-01-01T00\\:00\\:00Z", "queued=" + java.time.Instant.now().toString().replace(":", "\\:"),
                "rcpt.0000=bob@remote.test", "rcpt.0000.diagnostic=", "rcpt.0000.mta=", "rcpt.0000.state=PENDING",
                "rcpt.0000.status=", "sender=alice@sender.test", "size=" + bytes.length, ""), StandardCharsets.UTF_8);
        queue = start(Map.of());
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertEquals(List.of("bob@remote.test"), r.recipients());
        assertTrue(r.text().endsWith("from an older version\r\n"));
        await(() -> queue.list().isEmpty());
    }

    @Test
    void dsnParametersArePassedOnToAServerThatOffersDsn() throws Exception {
        smtp.extensions = List.of("SIZE 1000000", "DSN");
        queue = start(Map.of());
        byte[] bytes = message("x\r\n");
        queue.enqueue(envelope(Optional.of(DsnReturn.HDRS), "id+=1 2", false,
                rcpt("bob@remote.test", SUCCESS_FAILURE, "rfc822;bob+x@original.test")), Contents.of(bytes));
        assertNotNull(smtp.next());
        assertTrue(smtp.commands.contains("MAIL FROM:<alice@sender.test> SIZE=" + bytes.length
                + " RET=HDRS ENVID=id+2B+3D1+202"), smtp.commands.toString());
        assertTrue(smtp.commands.contains("RCPT TO:<bob@remote.test> NOTIFY=SUCCESS,FAILURE"
                + " ORCPT=rfc822;bob+2Bx@original.test"), smtp.commands.toString());
        await(() -> queue.list().isEmpty());
        // The next server now answers for the success notice: we send none.
        Thread.sleep(300);
        assertNull(smtp.received.poll());
    }

    @Test
    void aServerWithoutDsnGetsNoParametersAndTheSenderARelayedNotice() throws Exception {
        queue = start(Map.of());
        queue.enqueue(envelope(Optional.empty(), "ENV-7", false,
                rcpt("bob@remote.test", SUCCESS_FAILURE, "rfc822;bob@original.test"),
                rcpt("carol@remote.test", Set.of(), null)), Contents.of(message("x\r\n")));
        TestSmtpServer.Received[] both = originalAndNotice();
        assertEquals(List.of("bob@remote.test", "carol@remote.test"), both[0].recipients());
        assertTrue(smtp.commands.contains("RCPT TO:<bob@remote.test>"), smtp.commands.toString());
        TestSmtpServer.Received notice = both[1];
        assertEquals(List.of("alice@sender.test"), notice.recipients());
        String text = notice.text();
        assertTrue(text.contains("Subject: Relayed Mail Report"), text);
        assertTrue(text.contains("Original-Envelope-Id: ENV-7"), text);
        assertTrue(text.contains("Original-Recipient: rfc822; bob@original.test\r\nFinal-Recipient: rfc822; "
                + "bob@remote.test\r\nAction: relayed\r\nStatus: 2.0.0"), text);
        assertFalse(text.contains("carol@remote.test"), "carol's sender did not ask: " + text);
        assertTrue(text.contains("Content-Type: text/rfc822-headers"), text);
    }

    @Test
    void notifyDeliveredTellsOnlyRecipientsThatAskedAndNeverTheNullSender() throws Exception {
        queue = start(Map.of());
        EnvelopeRecipient asked = rcpt("bob@local.test", Set.of(DsnNotify.SUCCESS), "rfc822;bob@local.test");
        EnvelopeRecipient silent = rcpt("carol@local.test", Set.of(), null);
        Envelope env = envelope(Optional.empty(), "E1", false, asked, silent);
        queue.notifyDelivered(env, List.of(asked, silent), Contents.of(message("body\r\n")));
        TestSmtpServer.Received notice = smtp.next();
        assertNotNull(notice);
        assertEquals("", notice.sender());
        assertEquals(List.of("alice@sender.test"), notice.recipients());
        String text = notice.text();
        assertTrue(text.contains("Subject: Successful Mail Delivery Report"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; bob@local.test\r\nAction: delivered\r\nStatus: 2.0.0"), text);
        assertTrue(text.contains("Original-Envelope-Id: E1"), text);
        assertFalse(text.contains("carol@local.test"), text);

        queue.notifyDelivered(new Envelope(Optional.empty(), List.of(asked), Optional.empty(), Optional.empty(), false,
                false), List.of(asked), Contents.of(message("x\r\n")));
        queue.notifyDelivered(env, List.of(silent), Contents.of(message("x\r\n")));
        Thread.sleep(300);
        assertTrue(queue.list().isEmpty());
        assertNull(smtp.received.poll(), "no notice for <> nor for a recipient that did not ask");
    }

    @Test
    void bouncesHonourNotifyNeverAndRetHdrs() throws Exception {
        smtp.rcptReply = r -> r.startsWith("bob") || r.startsWith("alice") ? "250 OK" : "550 5.1.1 no such user";
        queue = start(Map.of());
        queue.enqueue(envelope(Optional.of(DsnReturn.HDRS), null, false,
                rcpt("bob@remote.test", Set.of(), null),
                rcpt("nobody@remote.test", Set.of(DsnNotify.FAILURE), "rfc822;nobody@remote.test"),
                rcpt("quiet@remote.test", Set.of(DsnNotify.NEVER), null)), Contents.of(message("secret-body\r\n")));
        TestSmtpServer.Received notice = originalAndNotice()[1];
        String text = notice.text();
        assertTrue(text.contains("Final-Recipient: rfc822; nobody@remote.test\r\nAction: failed"), text);
        assertTrue(text.contains("Original-Recipient: rfc822; nobody@remote.test"), text);
        assertFalse(text.contains("quiet@remote.test"), "NOTIFY=NEVER: " + text);
        assertTrue(text.contains("Content-Type: text/rfc822-headers"), text);
        assertFalse(text.contains("secret-body"), "RET=HDRS returns the header section only");
        await(() -> queue.list().isEmpty());
    }

    @Test
    void noBounceAtAllWhenEveryFailedRecipientSaidNever() throws Exception {
        smtp.rcptReply = r -> r.startsWith("alice") ? "250 OK" : "550 5.1.1 no such user";
        queue = start(Map.of());
        queue.enqueue(envelope(Optional.empty(), null, false, rcpt("quiet@remote.test", Set.of(DsnNotify.NEVER), null)),
                Contents.of(message("x\r\n")));
        await(() -> queue.list().isEmpty());
        Thread.sleep(300);
        assertNull(smtp.received.poll());
    }

    @Test
    void aMessageOverTheReturnCapBouncesWithItsHeadersOnly() throws Exception {
        smtp.rcptReply = r -> r.startsWith("alice") ? "250 OK" : "550 5.1.1 no such user";
        queue = start(Map.of("dsn_return_max_bytes", 100L));
        queue.enqueue(envelope(Optional.of(DsnReturn.FULL), null, false, rcpt("nobody@remote.test", Set.of(), null)),
                Contents.of(message("x".repeat(200) + "\r\n")));
        TestSmtpServer.Received notice = smtp.next();
        assertNotNull(notice);
        assertTrue(notice.text().contains("Content-Type: text/rfc822-headers"), notice.text());
        assertFalse(notice.text().contains("xxxxxxxxxx"), notice.text());
    }

    @Test
    void aDelayNoticeGoesOnceAndOnlyToRecipientsThatAskedForIt() throws Exception {
        smtp.rcptReply = r -> r.startsWith("alice") ? "250 OK" : "451 4.2.1 busy, come back later";
        queue = start(Map.of("delay_notice_hours", 0.00001));
        String id = queue.enqueue(envelope(Optional.empty(), "D1", false,
                rcpt("bob@remote.test", Set.of(DsnNotify.DELAY, DsnNotify.FAILURE), null),
                rcpt("carol@remote.test", Set.of(), null)), Contents.of(message("x\r\n")));
        TestSmtpServer.Received notice = smtp.next();
        assertNotNull(notice);
        String text = notice.text();
        assertTrue(text.contains("Subject: Delayed Mail (still being retried)"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; bob@remote.test\r\nAction: delayed\r\nStatus: 4.2.1"), text);
        assertTrue(text.contains("Will-Retry-Until: "), text);
        assertTrue(text.contains("Diagnostic-Code: smtp; 451 4.2.1 busy, come back later"), text);
        assertFalse(text.contains("carol@remote.test"), "by default only when asked: " + text);
        int attempts = queue.get(id).orElseThrow().attempts();
        await(() -> queue.get(id).orElseThrow().attempts() > attempts + 3);
        assertNull(smtp.received.poll(), "told once only");
    }

    @Test
    void noticesToALocalSenderGoToTheDeliveryService() throws Exception {
        smtp.rcptReply = r -> r.startsWith("alice") ? "250 OK" : "550 5.1.1 no such user";
        queue = start(Map.of());
        List<MailTransaction> handed = new CopyOnWriteArrayList<>();
        List<String> contents = new CopyOnWriteArrayList<>();
        queue.directory = (Directory) Proxy.newProxyInstance(Directory.class.getClassLoader(),
                new Class<?>[] {Directory.class}, (p, m, a) -> {
                    if (m.getName().equals("isLocalDomain")) {
                        return "sender.test".equals(a[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        queue.deliveryService = t -> {
            try {
                contents.add(new String(t.content().open().readAllBytes(), StandardCharsets.UTF_8));
                assertEquals(List.of("Undelivered Mail Returned to Sender"), t.header("Subject"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            handed.add(t);
            return DeliveryResult.accepted("local-1");
        };
        queue.enqueue(envelope(Optional.empty(), null, false, rcpt("nobody@remote.test", Set.of(), null)),
                Contents.of(message("x\r\n")));
        await(() -> !handed.isEmpty() && queue.list().isEmpty());
        MailTransaction t = handed.get(0);
        assertEquals(Optional.empty(), t.sender());
        assertEquals(List.of(MailAddress.parse("alice@sender.test")), t.recipients());
        assertTrue(contents.get(0).contains("Final-Recipient: rfc822; nobody@remote.test"), contents.get(0));
        assertNull(smtp.received.poll(), "the bounce did not go out by MX");
    }

    @Test
    void aLocalDeliveryThatIsDeferredIsRetried() throws Exception {
        queue = start(Map.of());
        List<MailTransaction> handed = new CopyOnWriteArrayList<>();
        queue.directory = (Directory) Proxy.newProxyInstance(Directory.class.getClassLoader(),
                new Class<?>[] {Directory.class}, (p, m, a) -> m.getName().equals("isLocalDomain") ? Boolean.TRUE : null);
        queue.deliveryService = t -> {
            handed.add(t);
            return handed.size() < 3
                    ? new DeliveryResult(DeliveryResult.Outcome.DEFERRED, 451, "4.3.0", "store away", "")
                    : DeliveryResult.accepted("ok");
        };
        String id = queue.enqueue(Optional.empty(), List.of(MailAddress.parse("alice@sender.test")),
                Contents.of(message("x\r\n")));
        await(() -> queue.get(id).isEmpty());
        assertEquals(3, handed.size());
    }

    @Test
    void smtpUtf8IsPassedOnWhenOfferedAndANonAsciiAddressFailsWhereItIsNot() throws Exception {
        smtp.extensions = List.of("SMTPUTF8");
        smtp.rcptReply = r -> "250 OK";
        // No pooled connection: the second message must see the changed EHLO.
        queue = start(Map.of("connection_idle_seconds", 0));
        Envelope utf8 = new Envelope(Optional.of(SENDER), List.of(rcpt("j\u00f6rg@remote.test", Set.of(), null)),
                Optional.empty(), Optional.empty(), false, true);
        queue.enqueue(utf8, Contents.of(message("x\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertEquals(List.of("j\u00f6rg@remote.test"), r.recipients());
        assertTrue(smtp.commands.contains("MAIL FROM:<alice@sender.test> SMTPUTF8"), smtp.commands.toString());

        smtp.extensions = List.of();
        queue.enqueue(utf8, Contents.of(message("x\r\n")));
        TestSmtpServer.Received bounce = smtp.next();
        assertNotNull(bounce);
        assertEquals("", bounce.sender());
        assertTrue(bounce.text().contains("Status: 5.6.7"), bounce.text());
    }
}
