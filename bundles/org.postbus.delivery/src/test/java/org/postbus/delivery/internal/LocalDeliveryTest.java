package org.postbus.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.delivery.internal.FilterChainTest.props;
import static org.postbus.delivery.internal.TestTransaction.addr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryResult.Outcome;
import org.postbus.api.delivery.Verdict;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.FileMailStore;
import org.postbus.testkit.FakeDirectory;

/**
 * End to end into the real embedded store: what lands on disk is {@code Return-Path:}, the
 * filters' headers and the received bytes, stored once for all local recipients.
 */
class LocalDeliveryTest {

    private static final MailAddress BOB = addr("bob@example.org");
    private static final MailAddress CAROL = addr("carol@example.org");

    @TempDir
    Path dir;

    private final Map<MailAddress, Long> quotas = new ConcurrentHashMap<>();
    private final List<String> storeEvents = new CopyOnWriteArrayList<>();
    private final DeliveryComponent delivery = new DeliveryComponent();
    private final FakeDirectory directory = new FakeDirectory("example.org")
            .account("bob@example.org")
            .account("carol@example.org")
            .alias("team@example.org", "bob@example.org", "carol@example.org");
    private FileMailStore store;

    @BeforeEach
    void open() throws StoreException {
        store = openStore();
        delivery.activate(DeliveryComponentTest.config(false));
        delivery.setDirectory(directory);
        delivery.setStore(store);
    }

    private FileMailStore openStore() throws StoreException {
        return new FileMailStore(dir.resolve("store"), quotas::get, (topic, p) -> storeEvents.add(topic));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<MessageMeta> messages(MailAddress user, String folder) throws Exception {
        try (Mailbox box = store.open(user, folder); var s = box.messages(UidRange.ALL)) {
            return s.toList();
        }
    }

    private String read(MailAddress user, String folder, long uid) throws Exception {
        try (Mailbox box = store.open(user, folder); InputStream in = box.content(uid).open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theStoredMessageIsReturnPathThenFilterHeadersThenTheReceivedBytes() throws Exception {
        delivery.addFilter(t -> Verdict.addHeader("Authentication-Results", "mx.example.org; spf=pass"),
                props("auth", 100, 1));
        delivery.addFilter(t -> Verdict.addHeader("X-Spam-Status", "No, score=0.1"), props("spam", 50, 2));

        DeliveryResult result = delivery.deliver(TestTransaction.to("bob@example.org"));

        assertEquals(DeliveryResult.accepted("t1"), result);
        List<MessageMeta> inbox = messages(BOB, MailStore.INBOX);
        assertEquals(1, inbox.size());
        String expected = "Return-Path: <alice@elsewhere.example>\r\n"
                + "Authentication-Results: mx.example.org; spf=pass\r\n"
                + "X-Spam-Status: No, score=0.1\r\n"
                + TestTransaction.MESSAGE;
        assertEquals(expected, read(BOB, MailStore.INBOX, inbox.get(0).uid()));
        assertEquals(expected.length(), inbox.get(0).size());
        assertTrue(storeEvents.contains(StoreEvents.MESSAGES_ADDED));
    }

    @Test
    void anAliasForSeveralUsersIsStoredOnce() throws Exception {
        delivery.deliver(TestTransaction.to("team@example.org", "bob@example.org"));

        List<MessageMeta> bob = messages(BOB, MailStore.INBOX);
        List<MessageMeta> carol = messages(CAROL, MailStore.INBOX);
        assertEquals(1, bob.size(), "bob is reached twice yet gets one message");
        assertEquals(1, carol.size());
        assertEquals(bob.get(0).emailId(), carol.get(0).emailId(), "one stored copy for both");
        assertEquals(read(BOB, MailStore.INBOX, bob.get(0).uid()), read(CAROL, MailStore.INBOX, carol.get(0).uid()));
    }

    @Test
    void fileIntoChoosesTheFolder() throws Exception {
        delivery.addFilter(t -> Verdict.fileInto("Junk"), props("spam", 0, 1));

        delivery.deliver(TestTransaction.to("bob@example.org", "carol@example.org"));

        for (MailAddress user : List.of(BOB, CAROL)) {
            assertEquals(1, messages(user, "Junk").size(), user.toString());
            assertEquals(0, messages(user, MailStore.INBOX).size(), user.toString());
        }
    }

    @Test
    void aFolderTheUserDoesNotHaveFallsBackToTheInbox() throws Exception {
        store.create(BOB, "Lists/postbus", Set.of());
        delivery.addFilter(t -> Verdict.fileInto("Lists/postbus"), props("sieve", 0, 1));

        delivery.deliver(TestTransaction.to("bob@example.org", "carol@example.org"));

        assertEquals(1, messages(BOB, "Lists/postbus").size());
        assertEquals(0, messages(BOB, MailStore.INBOX).size());
        assertEquals(1, messages(CAROL, MailStore.INBOX).size(), "carol has no such folder");
    }

    @Test
    void overQuotaRecipientsAreLeftOutAndTheOthersServed() throws Exception {
        quotas.put(CAROL, 10L);

        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("team@example.org")));
        assertEquals(1, messages(BOB, MailStore.INBOX).size());
        assertEquals(0, messages(CAROL, MailStore.INBOX).size());

        quotas.put(BOB, 10L);
        assertEquals(new DeliveryResult(Outcome.DEFERRED, 452, "4.2.2", "Mailbox full, try again later", "t1"),
                delivery.deliver(TestTransaction.to("team@example.org")));
        assertEquals(1, messages(BOB, MailStore.INBOX).size());
    }

    @Test
    void aLargeMessageIsStreamedIntactFromTheSpoolToTheStore() throws Exception {
        long size = 24L << 20;
        GeneratedContent spool = new GeneratedContent(size);
        delivery.addFilter(t -> Verdict.addHeader("X-Scanned", "yes"), props("scan", 0, 1));

        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org").withContent(spool)));

        byte[] prefix = "Return-Path: <alice@elsewhere.example>\r\nX-Scanned: yes\r\n".getBytes(StandardCharsets.US_ASCII);
        MessageDigest expected = sha256();
        expected.update(prefix);
        try (InputStream in = spool.open()) {
            digest(in, expected);
        }
        MessageMeta meta = messages(BOB, MailStore.INBOX).get(0);
        assertEquals(prefix.length + size, meta.size());
        MessageDigest actual = sha256();
        try (Mailbox box = store.open(BOB, MailStore.INBOX); InputStream in = box.content(meta.uid()).open()) {
            digest(in, actual);
        }
        assertArrayEquals(expected.digest(), actual.digest());
    }

    @Test
    void aStoppedStoreDefersAndDeliveryResumesWhenItReturnsWithNothingLost() throws Exception {
        delivery.deliver(TestTransaction.to("bob@example.org"));
        delivery.unsetStore(store);
        store.close();

        assertEquals(new DeliveryResult(Outcome.DEFERRED, 451, "4.3.0", "Mail store unavailable, try again later", "t1"),
                delivery.deliver(TestTransaction.to("bob@example.org")));

        store = openStore();
        delivery.setStore(store);
        assertEquals(DeliveryResult.accepted("t1"), delivery.deliver(TestTransaction.to("bob@example.org")));
        assertEquals(2, messages(BOB, MailStore.INBOX).size());
    }

    @Test
    void aStoreClosedUnderTheReferenceDefers() throws Exception {
        // The store bundle stops between the reference check and the write.
        store.close();
        DeliveryResult result = delivery.deliver(TestTransaction.to("bob@example.org"));
        assertEquals(Outcome.DEFERRED, result.outcome());
        assertEquals(451, result.replyCode());
        store = openStore();
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    private static void digest(InputStream in, MessageDigest md) throws IOException {
        try (DigestInputStream d = new DigestInputStream(in, md)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * A message of any size made up as it is read, never held in memory: a header, then
     * numbered lines.
     */
    static final class GeneratedContent implements MessageContent {
        private static final byte[] HEAD = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private final long size;

        GeneratedContent(long size) {
            this.size = size;
        }

        static int byteAt(long i) {
            if (i < HEAD.length) {
                return HEAD[(int) i];
            }
            long p = (i - HEAD.length) % 64;
            return p == 62 ? '\r' : p == 63 ? '\n' : 'a' + (int) (((i - HEAD.length) / 64 + p) % 26);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream open(long offset, long length) {
            long end = length >= size - offset ? size : offset + length;
            return new InputStream() {
                long pos = Math.min(offset, size);

                @Override
                public int read() {
                    return pos < end ? byteAt(pos++) : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (pos >= end) {
                        return -1;
                    }
                    int n = (int) Math.min(len, end - pos);
                    for (int k = 0; k < n; k++) {
                        b[off + k] = (byte) byteAt(pos++);
                    }
                    return n;
                }
            };
        }
    }
}
