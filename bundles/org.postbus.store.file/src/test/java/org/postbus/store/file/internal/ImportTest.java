package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;
import static org.postbus.store.file.internal.Stores.read;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.SmallRecords.Segment;

/** How the embedded store imports: streamed, in one durable step, all or nothing. */
class ImportTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final Instant DATE = Instant.parse("2018-04-05T06:07:08Z");

    @TempDir
    Path dir;

    private Stores stores;

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    /** Streams opened and not yet closed, across all generated contents. */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();

    private static String text(int i) {
        return "Subject: migrated " + i + "\r\n\r\n" + "z".repeat(i % 300) + "\r\n";
    }

    /** A message made when read, so that nothing holds its bytes; counts the streams open at once. */
    private final class Generated implements MessageContent {
        private final int i;

        Generated(int i) {
            this.i = i;
        }

        @Override
        public long size() {
            return text(i).length();
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            opens.incrementAndGet();
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            byte[] bytes = text(i).getBytes(StandardCharsets.US_ASCII);
            int from = (int) Math.min(offset, bytes.length);
            return new FilterInputStream(new ByteArrayInputStream(bytes, from,
                    (int) Math.min(length, bytes.length - from))) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        open.decrementAndGet();
                    }
                    super.close();
                }
            };
        }
    }

    private List<ImportedMessage> generated(int count) {
        List<ImportedMessage> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new ImportedMessage(2L * i + 1, new AppendRequest(new Generated(i),
                    i % 2 == 0 ? Flags.of(Flag.SEEN) : Flags.NONE, DATE.plusSeconds(i))));
        }
        return list;
    }

    private long segmentBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
            long total = 0;
            for (Path p : files.toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    @Test
    void importStreamsEachMessageOnceAndCommitsOnce() throws Exception {
        stores = new Stores(dir, new FileMailStore.Settings(64 * 1024, 8));
        FileMailStore store = stores.store;
        store.mailboxes(ALICE);
        int count = 5000;
        long batches = store.batchCount();
        long syncs = store.syncCount();

        MailboxInfo info = store.importMailbox(ALICE, "Maildir", 777, 2L * count + 10, generated(count));

        assertEquals(count, opens.get(), "each message read once, while its bytes are written");
        assertEquals(1, mostOpen.get(), "one message open at a time");
        assertEquals(0, open.get(), "every stream closed");
        assertEquals(1, store.batchCount() - batches, "the whole import is one committed change");
        long segments = store.index().segments.sizeAsLong();
        assertTrue(segments > 10, "the import spans many segments: " + segments);
        assertTrue(store.syncCount() - syncs <= segments + 2,
                "one force per segment, the directory and the index: " + (store.syncCount() - syncs));
        assertEquals(777, info.uidValidity());
        try (Mailbox box = store.open(ALICE, "Maildir")) {
            long[] uids = box.uids();
            assertEquals(count, uids.length);
            assertEquals(1, uids[0]);
            assertEquals(2L * count - 1, uids[count - 1]);
            assertEquals(2L * count + 10, box.status().uidNext());
            assertEquals(count / 2, box.status().unseen());
            assertEquals(count + 1, box.status().highestModSeq(), "one MODSEQ per imported message");
            assertEquals(text(4321), read(box.content(2L * 4321 + 1), 0, Long.MAX_VALUE));
            MessageMeta last = box.messages(UidRange.of(2L * count - 1)).findFirst().orElseThrow();
            assertEquals(DATE.plusSeconds(count - 1), last.internalDate());
        }
        assertTrue(store.check(ALICE, false).clean());
    }

    @Test
    void crashWhileAnImportWritesLeavesNoPartOfIt() throws Exception {
        stores = new Stores(dir);
        FileMailStore store = stores.store;
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            box.append(message("Subject: before\r\n\r\nbefore\r\n"));
        }
        long committed = Segment.decode(store.index().segments.get(1L)).committedLength();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch crashed = new CountDownLatch(1);
        List<ImportedMessage> messages = new ArrayList<>(generated(60));
        MessageContent stalling = new MessageContent() {
            @Override
            public long size() {
                return 100;
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                reached.countDown();
                try {
                    crashed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ByteArrayInputStream(new byte[100]);
            }
        };
        messages.set(40, new ImportedMessage(messages.get(40).uid(), new AppendRequest(stalling, Flags.NONE, DATE)));
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
            try {
                return store.importMailbox(ALICE, "Imported", 5, 1000, messages);
            } catch (StoreException e) {
                return e;
            }
        });
        assertTrue(reached.await(10, TimeUnit.SECONDS));
        assertTrue(segmentBytes() > committed, "40 messages are written but not committed");
        store.crashForTests();
        crashed.countDown();
        Object outcome = running.get(10, TimeUnit.SECONDS);
        StoreException failed = assertThrowsLike(outcome);
        assertEquals(StoreException.Reason.UNAVAILABLE, failed.reason());

        FileMailStore reopened = stores.open();
        assertFalse(reopened.mailboxes(ALICE).stream().anyMatch(i -> i.name().equals("Imported")),
                "no mailbox of a half import");
        assertEquals(1, reopened.quota(ALICE).messages(), "no message of a half import");
        assertEquals(committed, segmentBytes(), "the bytes written for it are cut at the start");
        assertTrue(reopened.check(ALICE, false).clean());
        reopened.importMailbox(ALICE, "Imported", 5, 1000, generated(60));
        try (Mailbox box = reopened.open(ALICE, "Imported")) {
            assertEquals(60, box.uids().length, "the import can be done again");
        }
    }

    private static StoreException assertThrowsLike(Object outcome) {
        assertTrue(outcome instanceof StoreException, "the import fails: " + outcome);
        return (StoreException) outcome;
    }

    @Test
    void unreadableSourceFailsTheImportAndStoresNothing() throws Exception {
        stores = new Stores(dir);
        FileMailStore store = stores.store;
        store.mailboxes(ALICE);
        List<ImportedMessage> messages = new ArrayList<>(generated(10));
        MessageContent broken = new MessageContent() {
            @Override
            public long size() {
                return 50;
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                throw new IOException("Maildir file vanished");
            }
        };
        messages.set(6, new ImportedMessage(messages.get(6).uid(), new AppendRequest(broken, Flags.NONE, DATE)));
        StoreException e = assertThrows(StoreException.class,
                () -> store.importMailbox(ALICE, "Imported", 5, 1000, messages));
        assertTrue(e.getMessage().contains("Maildir file vanished"), e.getMessage());
        assertFalse(store.mailboxes(ALICE).stream().anyMatch(i -> i.name().equals("Imported")));
        assertEquals(0, store.quota(ALICE).messages());
        assertTrue(store.check(ALICE, false).clean());
        stores.reopen();
        assertEquals(0, segmentBytes(), "the six messages written before the failure are cut at the start");
    }

    @Test
    void importOverQuotaWritesNoByte() throws Exception {
        stores = new Stores(dir);
        stores.quotas.put(ALICE, 1000L);
        stores.store.mailboxes(ALICE);
        assertThrows(StoreException.class,
                () -> stores.store.importMailbox(ALICE, "Imported", 5, 1000, generated(50)));
        assertEquals(0, opens.get(), "refused before a message is read");
        assertEquals(0, segmentBytes());
    }

    @Test
    void importedMessagesJoinThreadsAsAppendsDo() throws Exception {
        stores = new Stores(dir);
        FileMailStore store = stores.store;
        String parent = Stores.mail("root@example.org", null, null, "root");
        String reply = Stores.mail("reply@example.org", "root@example.org", null, "reply");
        String other = Stores.mail("other@example.org", null, null, "other");
        store.importMailbox(ALICE, "Old", 9, 20, List.of(
                new ImportedMessage(3, message(reply)),
                new ImportedMessage(5, message(other)),
                new ImportedMessage(11, message(parent))));
        try (Mailbox box = store.open(ALICE, "Old")) {
            Map<Long, String> threads = new TreeMap<>();
            box.messages(UidRange.ALL).forEach(m -> threads.put(m.uid(), m.threadId()));
            assertEquals(threads.get(3L), threads.get(11L), "a parent imported after its reply joins its thread");
            assertNotEquals(threads.get(3L), threads.get(5L));
            MessageMeta later = box.append(message(Stores.mail("later@example.org", "reply@example.org",
                    "<root@example.org> <reply@example.org>", "later")));
            assertEquals(threads.get(3L), later.threadId(), "a later reply joins the imported thread");
        }
    }

    @Test
    void importedUidValidityIsPostedAndNotGivenAgain() throws Exception {
        stores = new Stores(dir);
        FileMailStore store = stores.store;
        store.mailboxes(ALICE);
        stores.events.clear();
        long future = 0xFFFF_0000L;
        store.importMailbox(ALICE, "Old/Inner", future, 10, List.of(new ImportedMessage(4,
                new AppendRequest(Stores.content("Subject: x\r\n\r\nx\r\n"), Flags.NONE, DATE))));
        List<Stores.Posted> created = stores.events(StoreEvents.MAILBOX_CREATED);
        assertEquals(List.of("Old", "Old/Inner"), created.stream().map(p -> p.properties().get(StoreEvents.MAILBOX))
                .toList());
        assertEquals(future, created.get(1).properties().get(StoreEvents.UIDVALIDITY),
                "MAILBOX_CREATED carries the imported UIDVALIDITY");
        store.delete(ALICE, "Old/Inner");
        MailboxInfo again = store.create(ALICE, "Old/Inner", Set.of());
        assertNotEquals(future, again.uidValidity(), "a mailbox created again under the name gets another");
        assertTrue(again.uidValidity() > future);
    }
}
