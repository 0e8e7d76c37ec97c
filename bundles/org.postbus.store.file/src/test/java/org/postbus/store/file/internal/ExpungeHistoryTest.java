package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.UidRange;

/**
 * The bounded expunge history: trimmed by count and by age, oldest first, with
 * {@link Mailbox#expungeHistoryFrom()} saying from where {@link Mailbox#expungedSince} is still
 * complete; kept across restarts, dropped with its mailbox, accepted by the store check.
 */
class ExpungeHistoryTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final Instant START = Instant.parse("2026-01-10T08:00:00Z");

    @TempDir
    Path dir;

    private Stores stores;

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private FileMailStore open(ExpungeHistory.Policy policy, Stores.SettableClock clock) throws Exception {
        FileMailStore.Settings s = FileMailStore.Settings.DEFAULT;
        stores = new Stores(dir, new FileMailStore.Settings(s.segmentSize(), s.cacheMiB(), s.readChannels(),
                s.compaction(), policy), clock);
        return stores.store;
    }

    /** Appends {@code n} messages and returns their UIDs. */
    private static List<Long> append(Mailbox box, int n) throws Exception {
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            uids.add(box.append(message("Subject: " + i + "\r\n\r\nbody\r\n")).uid());
        }
        return uids;
    }

    /** Expunges the UIDs: marked \Deleted, then expunged, as IMAP does. */
    private static void expunge(Mailbox box, List<Long> uids) throws Exception {
        List<UidRange> ranges = uids.stream().map(u -> new UidRange(u, u)).toList();
        box.updateFlags(ranges, FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
        assertEquals(uids, box.expunge(ranges));
    }

    /** What expungedSince answers for every MODSEQ from 0 to HIGHESTMODSEQ. */
    private static List<List<Long>> answers(Mailbox box) throws Exception {
        long highest = box.status().highestModSeq();
        List<List<Long>> all = new ArrayList<>();
        for (long m = 0; m <= highest; m++) {
            all.add(box.expungedSince(m));
        }
        return all;
    }

    /** expungedSince(m) is as before trimming for every m at or above expungeHistoryFrom(). */
    private static void assertCompleteFrom(Mailbox box, List<List<Long>> before) throws Exception {
        long from = box.expungeHistoryFrom();
        for (long m = from; m < before.size(); m++) {
            assertEquals(before.get((int) m), box.expungedSince(m), "expungedSince(" + m + ") from " + from);
        }
    }

    private void assertCheckFindsNothing(FileMailStore store) throws Exception {
        CheckReport report = store.check(ALICE, false);
        assertEquals(List.of(), report.problems());
    }

    @Test
    void trimsToTheNewestEntriesByCount() throws Exception {
        FileMailStore store = open(new ExpungeHistory.Policy(5, 0), new Stores.SettableClock(START));
        List<Long> uids;
        List<List<Long>> before;
        long cut;
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            uids = append(box, 14);
            expunge(box, uids.subList(0, 4));
            expunge(box, uids.subList(4, 7));
            long afterSeven = box.status().highestModSeq();
            expunge(box, uids.subList(7, 12));
            before = answers(box);
            assertEquals(uids.subList(0, 12), box.expungedSince(0));
            assertEquals(0, box.expungeHistoryFrom(), "nothing dropped before the sweep");

            store.trimExpungeHistory();

            assertEquals(uids.subList(7, 12), box.expungedSince(0), "the five newest are kept");
            cut = box.expungeHistoryFrom();
            assertEquals(afterSeven, cut, "complete from the 7th expunge, the last one dropped");
            assertEquals(uids.subList(7, 12), box.expungedSince(cut));
            assertCompleteFrom(box, before);
            assertEquals(List.of(uids.get(12), uids.get(13)), List.of(box.uids()[0], box.uids()[1]));

            store.trimExpungeHistory();
            assertEquals(cut, box.expungeHistoryFrom(), "a second sweep finds nothing to do");
        }
        assertCheckFindsNothing(store);

        store = stores.reopen();
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            assertEquals(cut, box.expungeHistoryFrom(), "survives a restart");
            assertEquals(uids.subList(7, 12), box.expungedSince(0));
            assertCompleteFrom(box, before);
        }
    }

    @Test
    void countTrimOfMoreThanOneStepGoesOnWhereItStopped() throws Exception {
        FileMailStore store = open(new ExpungeHistory.Policy(10, 0), new Stores.SettableClock(START));
        store.expungeHistory().stepEntries = 7;
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            List<Long> uids = append(box, 40);
            expunge(box, uids.subList(0, 30));
            List<List<Long>> before = answers(box);
            long batches = store.batchCount();

            store.trimExpungeHistory();

            assertTrue(store.batchCount() - batches >= 3, "20 entries in steps of 7 take three commits at least");
            assertEquals(uids.subList(20, 30), box.expungedSince(0));
            assertCompleteFrom(box, before);
        }
        assertCheckFindsNothing(store);
    }

    @Test
    void trimsByAgeToTheHour() throws Exception {
        Stores.SettableClock clock = new Stores.SettableClock(START);
        FileMailStore store = open(new ExpungeHistory.Policy(0, 2), clock);
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            List<Long> uids = append(box, 6);
            expunge(box, uids.subList(0, 2));
            clock.advance(Duration.ofMinutes(30));
            expunge(box, uids.subList(2, 3));
            clock.advance(Duration.ofDays(1));
            long beforeSecondDay = box.status().highestModSeq();
            expunge(box, uids.subList(3, 5));
            List<List<Long>> before = answers(box);

            clock.advance(Duration.ofDays(1));
            store.trimExpungeHistory();
            assertEquals(0, box.expungeHistoryFrom(), "two days after the first expunges, within the hour's slack");
            assertEquals(uids.subList(0, 5), box.expungedSince(0));

            clock.advance(Duration.ofHours(1));
            store.trimExpungeHistory();
            assertEquals(uids.subList(3, 5), box.expungedSince(0), "the first day's three are dropped");
            long from = box.expungeHistoryFrom();
            assertTrue(from >= beforeSecondDay, "history from " + from + ", third expunge before " + beforeSecondDay);
            assertEquals(uids.subList(3, 5), box.expungedSince(from));
            assertCompleteFrom(box, before);
            assertCheckFindsNothing(store);

            clock.advance(Duration.ofDays(1));
            store.trimExpungeHistory();
            assertEquals(List.of(), box.expungedSince(0));
            assertEquals(before.size() - 1, box.expungeHistoryFrom(), "all dropped: complete from the last one");
            assertTrue(marks(store, box).isEmpty(), "no mark outlives its entries");

            // A new expunge starts the history afresh, with its own mark.
            expunge(box, uids.subList(5, 6));
            assertEquals(List.of(uids.get(5)), box.expungedSince(0));
            assertEquals(1, marks(store, box).size());
        }
        assertCheckFindsNothing(store);
    }

    @Test
    void historyFromBeforeTheTimeMarksAgesFromWhenTheSweepFirstSeesIt() throws Exception {
        Stores.SettableClock clock = new Stores.SettableClock(START);
        FileMailStore store = open(new ExpungeHistory.Policy(0, 1), clock);
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            List<Long> uids = append(box, 3);
            expunge(box, uids.subList(0, 2));
            long id = ((FileMailbox) box).id();
            // As a store written before the marks left it.
            store.committer().run(tx -> {
                tx.ix.expungeTimes.remove(tx.ix.expungeTimes.ceilingKey(Key.first(id)));
                return null;
            });
            assertTrue(marks(store, box).isEmpty());
            clock.advance(Duration.ofDays(30));
            store.trimExpungeHistory();
            assertEquals(uids.subList(0, 2), box.expungedSince(0), "its age is not known: kept");
            assertEquals(1, marks(store, box).size(), "marked as of now");

            clock.advance(Duration.ofDays(1).plusHours(1));
            store.trimExpungeHistory();
            assertEquals(List.of(), box.expungedSince(0));
            assertTrue(box.expungeHistoryFrom() > 0);
        }
    }

    @Test
    void theDefaultsAndNoLimitsKeepEverything() throws Exception {
        Stores.SettableClock clock = new Stores.SettableClock(START);
        FileMailStore store = open(ExpungeHistory.Policy.UNBOUNDED, clock);
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            List<Long> uids = append(box, 4);
            expunge(box, uids);
            clock.advance(Duration.ofDays(10_000));
            store.trimExpungeHistory();
            assertEquals(uids, box.expungedSince(0));
            assertEquals(0, box.expungeHistoryFrom());
        }
        stores.close();
        stores = null;

        clock = new Stores.SettableClock(START);
        store = open(ExpungeHistory.Policy.DEFAULT, clock);
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            List<Long> uids = box.expungedSince(0);
            assertEquals(4, uids.size());
            clock.advance(Duration.ofDays(89));
            store.trimExpungeHistory();
            assertEquals(uids, box.expungedSince(0), "kept for 90 days");
            assertEquals(0, box.expungeHistoryFrom());
            clock.advance(Duration.ofDays(2));
            store.trimExpungeHistory();
            assertEquals(List.of(), box.expungedSince(0), "gone after 90 days");
        }
    }

    @Test
    void theCommitterSweepsInTheBackground() throws Exception {
        FileMailStore store = open(new ExpungeHistory.Policy(3, 0), new Stores.SettableClock(START));
        ExpungeHistory history = store.expungeHistory();
        history.stepEntries = 2;
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            List<Long> uids = append(box, 12);
            expunge(box, uids.subList(0, 11));
            history.sweepIntervalNanos = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (box.expungedSince(0).size() > 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            history.sweepIntervalNanos = ExpungeHistory.SWEEP_INTERVAL_NANOS;
            assertEquals(uids.subList(8, 11), box.expungedSince(0));
            assertTrue(box.expungeHistoryFrom() > 0);
            // Sessions go on meanwhile.
            box.append(message("Subject: after\r\n\r\nbody\r\n"));
        }
    }

    @Test
    void deletingAMailboxDropsItsHistoryAndMarks() throws Exception {
        FileMailStore store = open(new ExpungeHistory.Policy(2, 0), new Stores.SettableClock(START));
        store.create(ALICE, "Work", Set.of());
        long id;
        try (Mailbox box = store.open(ALICE, "Work")) {
            id = ((FileMailbox) box).id();
            expunge(box, append(box, 4));
            store.trimExpungeHistory();
            assertEquals(2, box.expungedSince(0).size());
            assertFalse(marks(store, box).isEmpty());
        }
        store.delete(ALICE, "Work");
        store.read(v -> {
            assertFalse(v.vanished(id, 0).hasNext());
            return null;
        });
        Key mark = store.index().expungeTimes.ceilingKey(Key.first(id));
        assertTrue(mark == null || mark.hi() != id, "no mark left");
        store.create(ALICE, "Work", Set.of());
        try (Mailbox box = store.open(ALICE, "Work")) {
            assertEquals(0, box.expungeHistoryFrom(), "a new mailbox of the same name starts whole");
        }
        assertCheckFindsNothing(store);
    }

    @Test
    void aRecordWithHistoryFromAboveHighestModSeqIsRepaired() throws Exception {
        FileMailStore store = open(ExpungeHistory.Policy.DEFAULT, new Stores.SettableClock(START));
        long highest;
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            append(box, 1);
            highest = box.status().highestModSeq();
            long id = ((FileMailbox) box).id();
            store.committer().run(tx -> {
                MailboxRecord r = tx.box(id);
                r.historyFrom = highest + 5;
                r.dirty = true;
                return null;
            });
        }
        CheckReport found = store.check(ALICE, true);
        assertEquals(1, found.problems().size(), found.problems().toString());
        assertTrue(found.problems().get(0).contains("HIGHESTMODSEQ"), found.problems().toString());
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            assertEquals(highest + 5, box.status().highestModSeq());
        }
        assertCheckFindsNothing(store);
    }

    @Test
    void aMailboxRecordOfTheOlderFormatHasTheWholeHistoryAndIsTrimmedLikeAnyOther() throws Exception {
        FileMailStore store = open(new ExpungeHistory.Policy(1, 0), new Stores.SettableClock(START));
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            List<Long> uids = append(box, 3);
            expunge(box, uids.subList(0, 2));
            long id = ((FileMailbox) box).id();
            store.committer().run(tx -> {
                tx.ix.mailboxes.put(id, tx.box(id).encode(2));
                return null;
            });
            assertEquals(2, store.index().mailboxes.get(id)[0], "written as format 2");
            stores.reopen();
        }
        store = stores.store;
        try (Mailbox box = store.open(ALICE, MailStore.INBOX)) {
            assertEquals(0, box.expungeHistoryFrom());
            assertEquals(2, box.expungedSince(0).size());
            store.trimExpungeHistory();
            assertEquals(1, box.expungedSince(0).size());
            assertTrue(box.expungeHistoryFrom() > 0);
            assertEquals(3, store.index().mailboxes.get(((FileMailbox) box).id())[0], "rewritten as format 3");
        }
        assertCheckFindsNothing(store);
    }

    @Test
    void policyRejectsNegativeLimits() {
        assertThrows(IllegalArgumentException.class, () -> new ExpungeHistory.Policy(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ExpungeHistory.Policy(0, -1));
        assertTrue(ExpungeHistory.Policy.UNBOUNDED.unbounded());
        assertFalse(ExpungeHistory.Policy.DEFAULT.unbounded());
    }

    private static List<Key> marks(FileMailStore store, Mailbox box) {
        long id = ((FileMailbox) box).id();
        List<Key> keys = new ArrayList<>();
        store.index().expungeTimes.cursor(Key.first(id), Key.last(id), false).forEachRemaining(keys::add);
        return keys;
    }
}
