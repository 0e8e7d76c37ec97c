package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;
import static org.postbus.store.file.internal.Stores.read;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.SmallRecords.Segment;

/** What a crash leaves, and what opening the store again makes of it. */
class RecoveryTest {

    private static final MailAddress ALICE = addr("alice@example.org");

    @TempDir
    Path dir;

    private Stores stores;

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private List<Path> segmentFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
            return files.sorted().toList();
        }
    }

    private static long committedLength(FileMailStore store, long segment) {
        return Segment.decode(store.index().segments.get(segment)).committedLength();
    }

    @Test
    void tornTailOfAnUnacknowledgedWriteIsCutAtOpen() throws Exception {
        stores = new Stores(dir);
        List<MessageMeta> acknowledged = new ArrayList<>();
        try (Mailbox box = stores.store.open(ALICE, "INBOX")) {
            for (int i = 0; i < 3; i++) {
                acknowledged.add(box.append(message("Subject: " + i + "\r\n\r\nbody " + i + "\r\n")));
            }
        }
        long committed = committedLength(stores.store, 1);
        assertEquals(acknowledged.stream().mapToLong(MessageMeta::size).sum(), committed);
        stores.store.crashForTests();

        Path segment = segmentFiles().get(0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap("Subject: torn\r\n\r\nhalf a mess".getBytes()));
        }
        Path stray = dir.resolve("blobs").resolve("seg-99.dat");
        Files.write(stray, "a segment begun but never committed".getBytes());

        FileMailStore store = stores.open();
        assertEquals(committed, Files.size(segment), "torn tail cut");
        assertFalse(Files.exists(stray), "unknown segment deleted");
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            assertArrayEquals(new long[] {1, 2, 3}, box.uids());
            assertEquals("body 2", read(box.content(3), 14, 6));
            MessageMeta next = box.append(message("Subject: after\r\n\r\nafter\r\n"));
            assertEquals(4, next.uid());
            assertEquals("after", read(box.content(4), 18, 5));
        }
        assertEquals(committed + "Subject: after\r\n\r\nafter\r\n".length(), Files.size(segment));
    }

    @Test
    void bytesWrittenButNeverCommittedLeaveNoTrace() throws Exception {
        stores = new Stores(dir);
        try (Mailbox box = stores.store.open(ALICE, "INBOX")) {
            box.append(message("Subject: kept\r\n\r\nkept\r\n"));
        }
        long committed = committedLength(stores.store, 1);
        // A writer that got as far as the segment when the process died.
        stores.store.write(Stores.content("Subject: lost\r\n\r\nnever acknowledged\r\n"));
        assertTrue(Files.size(segmentFiles().get(0)) > committed);
        FileMailStore store = stores.crashAndReopen();
        assertEquals(committed, Files.size(segmentFiles().get(0)));
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            assertEquals(1, box.status().messages());
            assertEquals(2, box.status().uidNext());
        }
    }

    @Test
    void flagsAndExpungesAcknowledgedBeforeACrashSurviveIt() throws Exception {
        stores = new Stores(dir);
        try (Mailbox box = stores.store.open(ALICE, "INBOX")) {
            for (int i = 0; i < 4; i++) {
                box.append(message("Subject: " + i + "\r\n\r\n" + i + "\r\n"));
            }
            box.updateFlags(List.of(new UidRange(1, 2)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            box.expunge(List.of(UidRange.of(1)));
            box.updateFlags(List.of(UidRange.of(3)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.SEEN)));
        }
        FileMailStore store = stores.crashAndReopen();
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            assertArrayEquals(new long[] {2, 3, 4}, box.uids());
            assertEquals(List.of(1L), box.expungedSince(0));
            assertEquals(1, box.status().deleted());
            assertEquals(2, box.status().unseen());
            assertTrue(box.messages(UidRange.of(3)).findFirst().orElseThrow().flags().has(Flag.SEEN));
        }
    }

    /**
     * Writers append without pause; the store crashes under them. Every append that returned is
     * there afterwards with its content; everything visible is whole.
     */
    @Test
    void crashDuringConcurrentAppendsLosesNothingAcknowledged() throws Exception {
        stores = new Stores(dir, new FileMailStore.Settings(16 * 1024, 8));
        stores.store.mailboxes(ALICE);
        for (int round = 0; round < 5; round++) {
            FileMailStore store = stores.store;
            Map<Long, String> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(8);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int writer = t;
                int r = round;
                Thread th = new Thread(() -> {
                    started.countDown();
                    try (Mailbox box = store.open(ALICE, "INBOX")) {
                        for (int i = 0; !stop.get(); i++) {
                            String body = "round " + r + " writer " + writer + " message " + i + " " + "x".repeat(i % 700);
                            MessageMeta m = box.append(message("Subject: s\r\n\r\n" + body + "\r\n"));
                            acknowledged.put(m.uid(), body);
                        }
                    } catch (StoreException e) {
                        assertEquals(StoreException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
                    }
                });
                th.start();
                writers.add(th);
            }
            started.await();
            Thread.sleep(150);
            store.crashForTests();
            stop.set(true);
            for (Thread th : writers) {
                th.join();
            }
            FileMailStore reopened = stores.open();
            try (Mailbox box = reopened.open(ALICE, "INBOX")) {
                long[] uids = box.uids();
                assertEquals(uids.length, box.status().messages());
                for (Map.Entry<Long, String> e : acknowledged.entrySet()) {
                    assertTrue(Arrays.binarySearch(uids, e.getKey()) >= 0, "acknowledged UID " + e.getKey() + " lost");
                    assertEquals("Subject: s\r\n\r\n" + e.getValue() + "\r\n", read(box.content(e.getKey()), 0, Long.MAX_VALUE));
                }
                for (long uid : uids) {
                    String text = read(box.content(uid), 0, Long.MAX_VALUE);
                    assertTrue(text.startsWith("Subject: s\r\n\r\nround ") && text.endsWith("\r\n"), "whole message");
                }
                assertTrue(box.status().uidNext() > uids[uids.length - 1]);
            }
        }
    }
}
