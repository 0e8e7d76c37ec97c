package org.postbus.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.delivery.internal.FilterChainTest.props;
import static org.postbus.delivery.internal.TestTransaction.addr;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryResult.Outcome;
import org.postbus.api.delivery.Verdict;
import org.postbus.api.event.DeliveryEvents;
import org.postbus.api.health.Health;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.StoreException;
import org.postbus.testkit.FakeDirectory;

/** The pipeline against recording collaborators: filters, routing, answers, events, health. */
class DeliveryComponentTest {

    private final DeliveryComponent delivery = new DeliveryComponent();
    private final FakeDirectory directory = new FakeDirectory("example.org", "example.net")
            .account("bob@example.org")
            .account("carol@example.org")
            .account("dave@example.net")
            .alias("team@example.org", "bob@example.org", "carol@example.org", "friend@remote.example")
            .alias("@example.net", "dave@example.net");
    private final RecordingStore store = new RecordingStore();
    private final RecordingQueue queue = new RecordingQueue();
    private final RecordingEvents events = new RecordingEvents();

    @BeforeEach
    void wire() {
        delivery.activate(config(false));
        delivery.setDirectory(directory);
        delivery.setStore(store);
        delivery.setEventAdmin(events);
    }

    static DeliveryConfig config(boolean overQuotaPermanent) {
        return (DeliveryConfig) Proxy.newProxyInstance(DeliveryConfig.class.getClassLoader(),
                new Class<?>[] {DeliveryConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "over_quota_permanent" -> overQuotaPermanent;
                    case "annotationType" -> DeliveryConfig.class;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static DeliveryResult deferred(int code, String enhanced, String text) {
        return new DeliveryResult(Outcome.DEFERRED, code, enhanced, text, "t1");
    }

    @Test
    void aLocalMessageIsStoredWithReturnPathInTheInbox() {
        DeliveryResult result = delivery.deliver(TestTransaction.to("bob@example.org"));

        assertEquals(DeliveryResult.accepted("t1"), result);
        assertEquals(1, store.deliveries.size());
        RecordingStore.Delivery d = store.deliveries.get(0);
        assertEquals(Map.of(addr("bob@example.org"), MailStore.INBOX), d.targets());
        assertEquals("Return-Path: <alice@elsewhere.example>\r\n" + TestTransaction.MESSAGE, d.content());
        assertEquals(d.content().length(), d.request().content().size());
    }

    @Test
    void aBounceGetsTheNullReturnPath() {
        delivery.deliver(TestTransaction.to("bob@example.org").withSender(Optional.empty()));
        assertTrue(store.deliveries.get(0).content().startsWith("Return-Path: <>\r\nReceived: "));
    }

    @Test
    void filterHeadersFollowReturnPathInCallingOrderAndFileIntoChoosesTheFolder() {
        delivery.addFilter(t -> Verdict.addHeader("X-Low", "last"), props("low", 1, 1));
        delivery.addFilter(t -> Verdict.fileInto("Junk").withHeader("X-Spam-Status", "Yes, score=9"), props("spam", 100, 2));
        delivery.addFilter(t -> Verdict.addHeader("Authentication-Results", "mx.example.org; spf=pass"),
                props("auth", 1000, 3));

        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org")));

        RecordingStore.Delivery d = store.deliveries.get(0);
        assertEquals("Return-Path: <alice@elsewhere.example>\r\n"
                + "Authentication-Results: mx.example.org; spf=pass\r\n"
                + "X-Spam-Status: Yes, score=9\r\n"
                + "X-Low: last\r\n"
                + TestTransaction.MESSAGE, d.content());
        assertEquals(Map.of(addr("bob@example.org"), "Junk"), d.targets());
    }

    @Test
    void aRejectingFilterAnswersWithItsReplyAndNothingIsStored() {
        AtomicInteger later = new AtomicInteger();
        delivery.addFilter(t -> Verdict.reject(550, "5.7.1", "Message refused as spam"), props("spam", 10, 1));
        delivery.addFilter(t -> {
            later.incrementAndGet();
            return Verdict.CONTINUE;
        }, props("later", 0, 2));

        DeliveryResult result = delivery.deliver(TestTransaction.to("bob@example.org"));

        assertEquals(new DeliveryResult(Outcome.REJECTED, 550, "5.7.1", "Message refused as spam", "t1"), result);
        assertEquals(0, later.get());
        assertTrue(store.deliveries.isEmpty());
        Event e = events.topic(DeliveryEvents.FILTERED).get(0);
        assertEquals("t1", e.getProperty(DeliveryEvents.ID));
        assertEquals("alice@elsewhere.example", e.getProperty(DeliveryEvents.SENDER));
        assertArrayEquals(new String[] {"bob@example.org"}, (String[]) e.getProperty(DeliveryEvents.RECIPIENTS));
        assertEquals((long) TestTransaction.MESSAGE.length(), e.getProperty(DeliveryEvents.SIZE));
        assertEquals("550 5.7.1 Message refused as spam", e.getProperty(DeliveryEvents.REASON));
        assertTrue(events.topic(DeliveryEvents.DELIVERED).isEmpty());
    }

    @Test
    void aDeferringFilterAnswers4xx() {
        delivery.addFilter(t -> Verdict.defer(451, "4.7.1", "Greylisted, try again later"), props("grey", 10, 1));

        assertEquals(deferred(451, "4.7.1", "Greylisted, try again later"),
                delivery.deliver(TestTransaction.to("bob@example.org")));
        assertTrue(store.deliveries.isEmpty());
        assertEquals("451 4.7.1 Greylisted, try again later",
                events.topic(DeliveryEvents.FILTERED).get(0).getProperty(DeliveryEvents.REASON));
    }

    @Test
    void aDiscardingFilterAccepts250AndNothingIsStoredOrQueued() {
        delivery.setQueue(queue);
        delivery.addFilter(t -> Verdict.DISCARD, props("drop", 10, 1));

        assertEquals(DeliveryResult.accepted("t1"),
                delivery.deliver(TestTransaction.to("bob@example.org", "friend@remote.example")));
        assertTrue(store.deliveries.isEmpty());
        assertTrue(queue.queued.isEmpty());
        assertEquals("discarded by filter drop",
                events.topic(DeliveryEvents.FILTERED).get(0).getProperty(DeliveryEvents.REASON));
    }

    @Test
    void aThrowingFilterIsSkippedAndTheMessageDelivered() {
        delivery.addFilter(t -> {
            throw new IllegalStateException("plugin bug");
        }, props("broken", 10, 1));
        delivery.addFilter(t -> null, props("null", 5, 2));
        delivery.addFilter(t -> Verdict.addHeader("X-After", "1"), props("after", 0, 3));

        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org")));
        assertTrue(store.deliveries.get(0).content().startsWith("Return-Path: <alice@elsewhere.example>\r\nX-After: 1\r\n"));
    }

    @Test
    void filtersReadTheTransaction() {
        delivery.addFilter(t -> t.header("subject").equals(List.of("Hello"))
                ? Verdict.fileInto("Greetings") : Verdict.CONTINUE, props("subject", 0, 1));
        delivery.deliver(TestTransaction.to("bob@example.org"));
        assertEquals("Greetings", store.deliveries.get(0).targets().get(addr("bob@example.org")));
    }

    @Test
    void anAliasAndItsMembersGetOneStoredCopyAndTheRemoteTargetIsQueued() {
        delivery.setQueue(queue);

        DeliveryResult result = delivery.deliver(TestTransaction.to("team@example.org", "bob@example.org"));

        assertEquals(DeliveryResult.accepted("t1"), result);
        assertEquals(1, store.deliveries.size());
        assertEquals(Set.of(addr("bob@example.org"), addr("carol@example.org")), store.deliveries.get(0).targets().keySet());
        assertEquals(1, queue.queued.size());
        RecordingQueue.Queued q = queue.queued.get(0);
        assertEquals(List.of(addr("friend@remote.example")), q.recipients());
        assertEquals(Optional.of(addr("alice@elsewhere.example")), q.sender());
        // Return-Path belongs to final delivery only.
        assertEquals(TestTransaction.MESSAGE, q.content());
        Event e = events.topic(DeliveryEvents.DELIVERED).get(0);
        assertArrayEquals(new String[] {"bob@example.org", "carol@example.org"},
                (String[]) e.getProperty(DeliveryEvents.RECIPIENTS));
    }

    @Test
    void theCatchAllReceivesUnknownAddressesOfItsDomain() {
        delivery.deliver(TestTransaction.to("anything@example.net"));
        assertEquals(Map.of(addr("dave@example.net"), MailStore.INBOX), store.deliveries.get(0).targets());
    }

    @Test
    void remoteRecipientsWithoutAQueueAreDeferredAndNothingIsStored() {
        DeliveryResult result = delivery.deliver(TestTransaction.to("bob@example.org", "someone@remote.example"));

        assertEquals(deferred(451, "4.4.3", "Remote delivery not available yet, try again later"), result);
        assertTrue(store.deliveries.isEmpty());
    }

    @Test
    void remoteRecipientsGoToTheQueueWithTheFiltersHeaders() {
        delivery.setQueue(queue);
        delivery.addFilter(t -> Verdict.addHeader("X-Scanned", "yes").withHeader("X-Folder", "n/a"), props("scan", 0, 1));

        DeliveryResult result = delivery.deliver(TestTransaction.to("a@remote.example", "b@other.example", "a@remote.example"));

        assertEquals(DeliveryResult.accepted("t1"), result);
        assertTrue(store.deliveries.isEmpty());
        RecordingQueue.Queued q = queue.queued.get(0);
        assertEquals(List.of(addr("a@remote.example"), addr("b@other.example")), q.recipients());
        assertEquals("X-Scanned: yes\r\nX-Folder: n/a\r\n" + TestTransaction.MESSAGE, q.content());
    }

    @Test
    void aRemoteOnlyMessageNeedsNoStore() {
        delivery.setQueue(queue);
        delivery.unsetStore(store);
        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("x@remote.example")));
    }

    @Test
    void aQueueFailureDefers() {
        delivery.setQueue(queue);
        queue.failure = new IOException("disk full");
        assertEquals(deferred(451, "4.3.0", "Outbound queue unavailable, try again later"),
                delivery.deliver(TestTransaction.to("x@remote.example")));
    }

    @Test
    void withoutAStoreLocalMailIsDeferredAndResumesWhenTheStoreReturns() {
        delivery.unsetStore(store);
        AtomicInteger filtered = new AtomicInteger();
        delivery.addFilter(t -> {
            filtered.incrementAndGet();
            return Verdict.CONTINUE;
        }, props("count", 0, 1));

        assertEquals(deferred(451, "4.3.0", "Mail store unavailable, try again later"),
                delivery.deliver(TestTransaction.to("bob@example.org")));
        assertEquals(0, filtered.get(), "no filter runs for a message that cannot be delivered now");

        delivery.setStore(store);
        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org")));
        assertEquals(1, store.deliveries.size());
    }

    @Test
    void withoutADirectoryMailIsDeferred() {
        delivery.unsetDirectory(directory);
        assertEquals(deferred(451, "4.3.0", "Directory unavailable, try again later"),
                delivery.deliver(TestTransaction.to("bob@example.org")));

        delivery.setDirectory(directory);
        directory.failure = new IllegalStateException("directory closed");
        assertEquals(deferred(451, "4.3.0", "Directory unavailable, try again later"),
                delivery.deliver(TestTransaction.to("bob@example.org")));
    }

    @Test
    void aGreedyReplacementIsNotUndoneByTheOldServicesUnbind() {
        RecordingStore better = new RecordingStore();
        delivery.setStore(better);
        delivery.unsetStore(store);
        delivery.deliver(TestTransaction.to("bob@example.org"));
        assertEquals(1, better.deliveries.size());
        assertTrue(store.deliveries.isEmpty());
    }

    @Test
    void anUnavailableStoreDefers() {
        store.failure = new StoreException(StoreException.Reason.UNAVAILABLE, "disk full");
        assertEquals(deferred(451, "4.3.0", "Mail store unavailable, try again later"),
                delivery.deliver(TestTransaction.to("bob@example.org")));
        assertTrue(events.topic(DeliveryEvents.DELIVERED).isEmpty());
    }

    @Test
    void whenEveryLocalRecipientIsOverQuotaTheMessageIsDeferred452() {
        store.full.add(addr("bob@example.org"));
        assertEquals(deferred(452, "4.2.2", "Mailbox full, try again later"),
                delivery.deliver(TestTransaction.to("bob@example.org")));

        delivery.modified(config(true));
        assertEquals(new DeliveryResult(Outcome.REJECTED, 552, "5.2.2", "Mailbox full", "t1"),
                delivery.deliver(TestTransaction.to("bob@example.org")));
    }

    @Test
    void whenSomeLocalRecipientsAreOverQuotaTheOthersGetItAnd250() {
        store.full.add(addr("carol@example.org"));
        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org", "carol@example.org")));
        assertArrayEquals(new String[] {"bob@example.org"},
                (String[]) events.topic(DeliveryEvents.DELIVERED).get(0).getProperty(DeliveryEvents.RECIPIENTS));
    }

    @Test
    void overQuotaLocallyStillQueuesForRemoteRecipients() {
        delivery.setQueue(queue);
        store.full.add(addr("bob@example.org"));
        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org", "x@remote.example")));
        assertEquals(1, queue.queued.size());
    }

    @Test
    void recipientsNoOneReceivesAreLeftOut() {
        assertEquals(new DeliveryResult(Outcome.REJECTED, 550, "5.1.1", "No such user here", "t1"),
                delivery.deliver(TestTransaction.to("gone@example.org")));
        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("gone@example.org", "bob@example.org")));
        assertEquals(Set.of(addr("bob@example.org")), store.deliveries.get(0).targets().keySet());
        assertEquals(new DeliveryResult(Outcome.REJECTED, 554, "5.5.1", "No valid recipients", "t1"),
                delivery.deliver(new TestTransaction("t1", Optional.empty(), List.<MailAddress>of(),
                        TestTransaction.content(TestTransaction.MESSAGE))));
    }

    @Test
    void theDeliveredEventNamesTheStoredMessage() {
        delivery.deliver(TestTransaction.to("bob@example.org"));
        List<Event> delivered = events.topic(DeliveryEvents.DELIVERED);
        assertEquals(1, delivered.size());
        Event e = delivered.get(0);
        assertEquals("t1", e.getProperty(DeliveryEvents.ID));
        assertEquals("alice@elsewhere.example", e.getProperty(DeliveryEvents.SENDER));
        assertArrayEquals(new String[] {"bob@example.org"}, (String[]) e.getProperty(DeliveryEvents.RECIPIENTS));
        assertEquals(store.deliveries.get(0).request().content().size(), e.getProperty(DeliveryEvents.SIZE));
        assertFalse(e.containsProperty(DeliveryEvents.REASON));
        assertTrue(events.sent.isEmpty(), "events are posted, never sent synchronously");
    }

    @Test
    void withoutEventAdminDeliveryGoesOn() {
        delivery.unsetEventAdmin(events);
        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org")));
        assertTrue(events.posted.isEmpty());
    }

    @Test
    void healthIsUpWithDirectoryAndStoreAndNamesWhatIsMissing() {
        Health up = delivery.check();
        assertTrue(up.up(), up.detail());
        assertTrue(up.detail().contains("no outbound queue"), up.detail());

        delivery.unsetStore(store);
        Health noStore = delivery.check();
        assertFalse(noStore.up());
        assertTrue(noStore.detail().startsWith("missing mail store"), noStore.detail());

        delivery.unsetDirectory(directory);
        assertTrue(delivery.check().detail().startsWith("missing directory and mail store"), delivery.check().detail());

        delivery.setDirectory(directory);
        delivery.setStore(store);
        delivery.setQueue(queue);
        delivery.addFilter(t -> Verdict.CONTINUE, props("one", 0, 1));
        assertEquals(Health.up("1 filter; outbound queue present"), delivery.check());
    }
}
