package org.postbus.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;

/** Several messages for one destination over one connection; PIPELINING as a client (RFC 2920). */
class ConnectionReuseTest extends QueueTestBase {

    private void enqueueThree() throws Exception {
        for (String who : List.of("bob", "carol", "dan")) {
            queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse(who + "@remote.test"),
                    MailAddress.parse(who + "2@remote.test")), Contents.of(message(who + "\r\n")));
        }
    }

    @Test
    void messagesForOneDomainShareOneConnectionWithRsetBetween() throws Exception {
        smtp.extensions = List.of("SIZE 1000000", "PIPELINING");
        queue = start(Map.of("concurrency", 1, "connection_idle_seconds", 30));
        enqueueThree();
        for (int i = 0; i < 3; i++) {
            assertNotNull(smtp.next());
        }
        await(() -> queue.list().isEmpty());
        assertEquals(1, smtp.sessions.get(), "one connection for three messages");
        assertEquals(2, smtp.commands.stream().filter("RSET"::equals).count(), smtp.commands.toString());
        assertEquals(1, queue.idleConnections(), "kept open for the next message");
        assertEquals(3, smtp.pipelinedMail.get(), "MAIL and RCPTs went as one group each time");
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        queue = start(Map.of("concurrency", 1));
        enqueueThree();
        for (int i = 0; i < 3; i++) {
            assertNotNull(smtp.next());
        }
        assertEquals(0, smtp.pipelinedMail.get());
    }

    @Test
    void pipelinedRecipientRefusalsAreMatchedToTheirRecipients() throws Exception {
        smtp.extensions = List.of("PIPELINING");
        smtp.rcptReply = r -> r.startsWith("carol") ? "550 5.1.1 no carol" : r.startsWith("dan") ? "451 4.2.0 later"
                : "250 OK";
        queue = start(Map.of("retry_schedule_minutes", "60"));
        String id = queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test"),
                MailAddress.parse("carol@remote.test"), MailAddress.parse("dan@remote.test")),
                Contents.of(message("x\r\n")));
        TestSmtpServer.Received[] both = originalAndNotice();
        assertEquals(List.of("bob@remote.test"), both[0].recipients());
        assertTrue(both[1].text().contains("Final-Recipient: rfc822; carol@remote.test"), both[1].text());
        await(() -> queue.get(id).map(e -> e.recipients().equals(List.of(MailAddress.parse("dan@remote.test"))))
                .orElse(false));
    }

    @Test
    void anIdleConnectionIsClosedWithQuitAfterItsLifetime() throws Exception {
        queue = start(Map.of("connection_idle_seconds", 1));
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")), Contents.of(message("x\r\n")));
        assertNotNull(smtp.next());
        await(() -> smtp.commands.contains("QUIT"));
        assertEquals(0, queue.idleConnections());
    }

    @Test
    void aConnectionTheServerDroppedIsReplacedByANewOne() throws Exception {
        queue = start(Map.of("concurrency", 1, "connection_idle_seconds", 30));
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")), Contents.of(message("1\r\n")));
        assertNotNull(smtp.next());
        await(() -> queue.idleConnections() == 1);
        // The server drops its connections (a restart): the pooled socket is dead.
        smtp.dropSessions();
        queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("carol@remote.test")),
                Contents.of(message("2\r\n")));
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r, "delivered over a fresh connection");
        assertEquals(List.of("carol@remote.test"), r.recipients());
        assertEquals(2, smtp.sessions.get());
    }
}
