package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.UidRange;

/** Concurrent writers share fsyncs, and their changes are serialised without loss. */
class GroupCommitTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final int WRITERS = 64;

    @TempDir
    Path dir;

    private Stores stores;

    @BeforeEach
    void open() throws Exception {
        stores = new Stores(dir);
        stores.store.mailboxes(ALICE);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static void runAll(List<Runnable> tasks) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(tasks.size());
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Runnable task : tasks) {
            Thread t = new Thread(() -> {
                try {
                    barrier.await();
                    task.run();
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a writer failed", failures.get(0));
        }
    }

    @Test
    void concurrentAppendsShareFsyncs() throws Exception {
        FileMailStore store = stores.store;
        long syncsBefore = store.syncCount();
        Set<Long> uids = ConcurrentHashMap.newKeySet();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int n = i;
            tasks.add(() -> {
                try (Mailbox box = store.open(ALICE, "INBOX")) {
                    uids.add(box.append(message("Subject: " + n + "\r\n\r\n" + "x".repeat(4000) + "\r\n")).uid());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        runAll(tasks);
        long syncs = store.syncCount() - syncsBefore;
        // Unbatched, each append would force its segment and sync the index: 2 x 64.
        assertTrue(syncs <= WRITERS, "64 appends took " + syncs + " fsyncs");
        assertEquals(LongStream.rangeClosed(1, WRITERS).boxed().collect(java.util.stream.Collectors.toSet()), uids);
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            assertEquals(WRITERS, box.status().messages());
        }
    }

    @Test
    void concurrentFlagChangesLoseNoUpdate() throws Exception {
        FileMailStore store = stores.store;
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            box.append(message("Subject: one\r\n\r\n1\r\n"));
        }
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String keyword = "$k" + i;
            tasks.add(() -> {
                try (Mailbox box = store.open(ALICE, "INBOX")) {
                    box.updateFlags(List.of(UidRange.of(1)),
                            FlagUpdate.of(FlagUpdate.Mode.ADD, new Flags(Set.of(Flag.SEEN), Set.of(keyword))));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        runAll(tasks);
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            Flags flags = box.messages(UidRange.ALL).findFirst().orElseThrow().flags();
            assertEquals(32, flags.keywords().size());
            assertEquals(0, box.status().unseen());
            long[] modSeqs = box.changedSince(0).mapToLong(m -> m.modSeq()).toArray();
            assertArrayEquals(new long[] {box.status().highestModSeq()}, modSeqs);
        }
    }
}
