package org.postbus.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.delivery.internal.TestTransaction.addr;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.testkit.FakeDirectory;

/** The envelope's DSN (RFC 3461) and REQUIRETLS (RFC 8689) parameters on their way to the queue. */
class DsnDeliveryTest {

    private final DeliveryComponent delivery = new DeliveryComponent();
    private final FakeDirectory directory = new FakeDirectory("example.org")
            .account("bob@example.org")
            .account("carol@example.org")
            .alias("team@example.org", "bob@example.org", "friend@remote.example")
            .alias("both@example.org", "bob@example.org", "carol@example.org");
    private final RecordingStore store = new RecordingStore();
    private final RecordingQueue queue = new RecordingQueue();

    @BeforeEach
    void wire() {
        delivery.activate(DeliveryComponentTest.config(false));
        delivery.setDirectory(directory);
        delivery.setStore(store);
        delivery.setQueue(queue);
    }

    private static EnvelopeRecipient rcpt(String address, Set<DsnNotify> notify, String orcpt) {
        return new EnvelopeRecipient(addr(address), notify, Optional.ofNullable(orcpt));
    }

    private static Envelope envelope(EnvelopeRecipient... recipients) {
        return new Envelope(Optional.of(addr("alice@elsewhere.example")), List.of(recipients),
                Optional.of(DsnReturn.HDRS), Optional.of("env-1"), true, false);
    }

    private DeliveryResult deliver(Envelope envelope) {
        return delivery.deliver(TestTransaction.to("x@example.org").withEnvelope(envelope));
    }

    @Test
    void remoteRecipientsGoToTheQueueWithTheirParameters() {
        EnvelopeRecipient direct = rcpt("a@remote.example", Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE),
                "rfc822;A@remote.example");
        EnvelopeRecipient team = rcpt("team@example.org", Set.of(DsnNotify.DELAY), null);
        assertEquals(DeliveryResult.accepted("t1"), deliver(envelope(direct, team)));

        Envelope queued = queue.queued.get(0).envelope();
        assertEquals(List.of(direct, rcpt("friend@remote.example", Set.of(DsnNotify.DELAY), "rfc822;team@example.org")),
                queued.recipients(), "a target of an alias names the alias as its original recipient");
        assertEquals(Optional.of(DsnReturn.HDRS), queued.dsnReturn());
        assertEquals(Optional.of("env-1"), queued.envelopeId());
        assertTrue(queued.requireTls());
        assertEquals(Optional.of(addr("alice@elsewhere.example")), queued.sender());
    }

    @Test
    void localRecipientsThatAskedForSuccessAreReportedAfterStoring() {
        EnvelopeRecipient bob = rcpt("bob@example.org", Set.of(DsnNotify.SUCCESS), "rfc822;bob@example.org");
        EnvelopeRecipient carol = rcpt("carol@example.org", Set.of(), null);
        Envelope envelope = envelope(bob, carol);
        assertEquals(DeliveryResult.accepted("t1"), deliver(envelope));

        assertEquals(1, store.deliveries.size());
        assertEquals(1, queue.notices.size());
        RecordingQueue.Notice notice = queue.notices.get(0);
        assertEquals(envelope, notice.envelope());
        assertEquals(List.of(bob), notice.delivered());
        assertEquals(TestTransaction.MESSAGE, notice.content());
        assertTrue(queue.queued.isEmpty());
    }

    @Test
    void anAliasOfLocalAccountsIsReportedOnceAllHaveIt() {
        EnvelopeRecipient both = rcpt("both@example.org", Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), null);
        deliver(envelope(both));
        assertEquals(List.of(both), queue.notices.get(0).delivered());
    }

    @Test
    void noNoticeWhenNoneWasAskedForOrForRemoteTargets() {
        deliver(envelope(rcpt("bob@example.org", Set.of(DsnNotify.NEVER), null),
                rcpt("carol@example.org", Set.of(DsnNotify.FAILURE, DsnNotify.DELAY), null),
                rcpt("team@example.org", Set.of(DsnNotify.SUCCESS), null)));
        assertTrue(queue.notices.isEmpty(), "team has a remote target: the queue reports it when it relays");
        assertEquals(1, queue.queued.size());
    }

    @Test
    void noNoticeToTheNullSender() {
        Envelope bounce = new Envelope(Optional.empty(),
                List.of(rcpt("bob@example.org", Set.of(DsnNotify.SUCCESS), null)), Optional.empty(),
                Optional.empty(), false, false);
        assertEquals(DeliveryResult.accepted("t1"), deliver(bounce));
        assertTrue(queue.notices.isEmpty());
    }

    @Test
    void withoutAQueueTheMessageIsStillDeliveredLocally() {
        delivery.unsetQueue(queue);
        assertEquals(DeliveryResult.accepted("t1"),
                deliver(envelope(rcpt("bob@example.org", Set.of(DsnNotify.SUCCESS), null))));
        assertEquals(1, store.deliveries.size());
        assertTrue(queue.notices.isEmpty());
    }

    @Test
    void aNoticeThatCannotBeQueuedDoesNotRefuseTheStoredMessage() {
        queue.noticeFailure = new IOException("disk full");
        assertEquals(DeliveryResult.accepted("t1"),
                deliver(envelope(rcpt("bob@example.org", Set.of(DsnNotify.SUCCESS), null))));
        assertEquals(1, store.deliveries.size());
    }

    @Test
    void noNoticeWhenTheStoreRefused() {
        store.failure = new org.postbus.api.store.StoreException(org.postbus.api.store.StoreException.Reason.UNAVAILABLE,
                "broken");
        deliver(envelope(rcpt("bob@example.org", Set.of(DsnNotify.SUCCESS), null)));
        assertTrue(queue.notices.isEmpty());
    }
}
