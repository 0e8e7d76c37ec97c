package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.SmallRecords.Segment;

/** Segment compaction: space given back, every remaining message's bytes intact, crash points, policy. */
class CompactionTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final long SEGMENT = 16 * 1024;
    /** Messages of about 1000 bytes: 16 to a segment. */
    private static final int MESSAGES = 80;

    @TempDir
    Path dir;

    private Stores stores;
    /** The bytes of each message still stored, by mailbox name and UID. */
    private final Map<String, Map<Long, byte[]>> kept = new TreeMap<>();

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private static FileMailStore.Settings settings(Compactor.Policy policy) {
        return new FileMailStore.Settings(SEGMENT, 4, FileMailStore.Settings.READ_CHANNELS, policy);
    }

    /** Compacts any segment with less than half live, however small, as fast as it can, on demand only. */
    private static Compactor.Policy eager() {
        return new Compactor.Policy(50, 0, Long.MAX_VALUE / 4, 0);
    }

    private FileMailStore store() {
        return stores.store;
    }

    private static byte[] body(int i) {
        StringBuilder sb = new StringBuilder("Subject: message ").append(i).append("\r\n\r\n");
        while (sb.length() < 1000) {
            sb.append("line ").append(i).append(" of the body, to fill it\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Fills INBOX, copies every eighth message to Archive (shared content), then expunges three
     * of every four INBOX messages, so sealed segments are about a quarter live.
     */
    private void fillAndExpunge() throws Exception {
        Map<Long, byte[]> inbox = new TreeMap<>();
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            for (int i = 0; i < MESSAGES; i++) {
                byte[] b = body(i);
                long uid = box.append(new AppendRequest(Stores.bytes(b), Flags.NONE,
                        Instant.parse("2024-05-01T10:00:00Z"))).uid();
                inbox.put(uid, b);
            }
            Map<Long, byte[]> archive = new TreeMap<>();
            for (long uid : inbox.keySet()) {
                if (uid % 8 == 2) {
                    Map<Long, Long> copied = box.copy(List.of(UidRange.of(uid)), "Archive");
                    archive.put(copied.get(uid), inbox.get(uid));
                }
            }
            kept.put("Archive", archive);
            List<UidRange> doomed = new ArrayList<>();
            for (long uid : inbox.keySet()) {
                if (uid % 4 != 0) {
                    doomed.add(UidRange.of(uid));
                }
            }
            box.updateFlags(doomed, FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            assertEquals(doomed.size(), box.expunge(null).size());
        }
        inbox.keySet().removeIf(uid -> uid % 4 != 0);
        kept.put("INBOX", inbox);
    }

    /** Every kept message has exactly its bytes, read whole and in part. */
    private void assertAllBytes() throws Exception {
        int n = 0;
        for (Map.Entry<String, Map<Long, byte[]>> box : kept.entrySet()) {
            try (Mailbox mb = store().open(ALICE, box.getKey())) {
                assertEquals(box.getValue().size(), mb.uids().length, box.getKey());
                for (Map.Entry<Long, byte[]> e : box.getValue().entrySet()) {
                    MessageContent c = mb.content(e.getKey());
                    assertArrayEquals(e.getValue(), readAll(c), box.getKey() + " UID " + e.getKey());
                    try (InputStream in = c.open(100, 50)) {
                        assertArrayEquals(java.util.Arrays.copyOfRange(e.getValue(), 100, 150), in.readAllBytes());
                    }
                    n++;
                }
            }
        }
        assertTrue(n > 0);
    }

    private static byte[] readAll(MessageContent c) throws IOException {
        try (InputStream in = c.open()) {
            return in.readAllBytes();
        }
    }

    private void assertClean() throws Exception {
        CheckReport report = store().check(ALICE, false);
        assertTrue(report.clean(), report.problems().toString());
    }

    private Map<String, Long> segmentFiles() throws IOException {
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
            for (Path p : files.toList()) {
                sizes.put(p.getFileName().toString(), Files.size(p));
            }
        }
        return sizes;
    }

    private static long total(Map<String, Long> sizes) {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<Long, Segment> indexedSegments() {
        Map<Long, Segment> map = new TreeMap<>();
        store().index().segments.forEach((id, b) -> map.put(id, Segment.decode(b)));
        return map;
    }

    @Test
    void compactionGivesBackTheSpaceOfExpungedMessagesAndKeepsEveryByte() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<String, Long> before = segmentFiles();
        assertTrue(before.size() >= 5, before.toString());

        Compactor.Result result = store().compactSegments();

        Map<String, Long> after = segmentFiles();
        assertTrue(result.segments() >= 4, result.toString());
        assertTrue(total(after) < total(before) * 6 / 10, before + " -> " + after);
        for (String name : after.keySet()) {
            assertTrue(!before.containsKey(name) || name.equals(lastOf(before)) || name.equals(lastOf(after)),
                    "a compacted segment is gone: " + before + " -> " + after);
        }
        assertEquals(total(before) - total(after), result.reclaimedBytes());
        for (Map.Entry<Long, Segment> e : indexedSegments().entrySet()) {
            assertTrue(Files.exists(store().segmentPath(e.getKey())), "indexed segment " + e.getKey() + " exists");
        }
        assertAllBytes();
        assertClean();
        // The segment being filled during the pass may have been sealed by its copies since.
        assertTrue(store().compactSegments().segments() <= 1, "nothing more than that left to compact");
        assertAllBytes();

        after = segmentFiles();
        stores.reopen();
        assertEquals(after, segmentFiles(), "a restart cuts and deletes nothing more");
        assertAllBytes();
        assertClean();
    }

    private static String lastOf(Map<String, Long> files) {
        return files.keySet().stream().max((a, b) -> Long.compare(number(a), number(b))).orElseThrow();
    }

    private static long number(String name) {
        return Long.parseLong(name.substring(4, name.length() - 4));
    }

    /** The segment each kept message's record names, by mailbox name and UID. */
    private Map<String, Map<Long, Long>> placesOfKept() throws Exception {
        Map<String, Map<Long, Long>> places = new TreeMap<>();
        for (Map.Entry<String, Map<Long, byte[]>> box : kept.entrySet()) {
            long mailbox;
            try (Mailbox mb = store().open(ALICE, box.getKey())) {
                mailbox = ((FileMailbox) mb).id();
            }
            Map<Long, Long> segs = new TreeMap<>();
            for (long uid : box.getValue().keySet()) {
                segs.put(uid, MessageRecord.decode(store().index().messages.get(new Key(mailbox, uid))).segment);
            }
            places.put(box.getKey(), segs);
        }
        return places;
    }

    /** Appends a segment's worth of new mail and more, then expunges it all: short-lived traffic. */
    private void shortLivedMail(int from) throws Exception {
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            List<UidRange> added = new ArrayList<>();
            for (int i = from; i < from + 40; i++) {
                long uid = box.append(new AppendRequest(Stores.bytes(body(i)), Flags.NONE,
                        Instant.parse("2024-05-02T10:00:00Z"))).uid();
                added.add(UidRange.of(uid));
            }
            box.updateFlags(added, FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            assertEquals(added.size(), box.expunge(added).size());
        }
    }

    @Test
    void movedBlobsGoToAColdSegmentAndAreNotMovedAgainAfterNewShortLivedMail() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<String, Map<Long, Long>> start = placesOfKept();
        Compactor.Result first = store().compactSegments();
        assertTrue(first.segments() >= 4, first.toString());
        Map<String, Map<Long, Long>> afterFirst = placesOfKept();
        long oldestCold = Long.MAX_VALUE;
        for (Map.Entry<String, Map<Long, Long>> box : afterFirst.entrySet()) {
            for (Map.Entry<Long, Long> e : box.getValue().entrySet()) {
                if (!e.getValue().equals(start.get(box.getKey()).get(e.getKey()))) {
                    oldestCold = Math.min(oldestCold, e.getValue());
                }
            }
        }
        assertTrue(oldestCold < Long.MAX_VALUE, "the first round moved messages");

        // New mail after the first round lands in segments of its own, never beside the moved blobs.
        shortLivedMail(1000);
        Compactor.Result second = store().compactSegments();
        Map<String, Map<Long, Long>> afterSecond = placesOfKept();
        shortLivedMail(2000);
        Compactor.Result third = store().compactSegments();
        Map<String, Map<Long, Long>> end = placesOfKept();

        int moves = 0;
        long movedLater = 0;
        java.util.Set<Long> cold = new java.util.TreeSet<>();
        for (Map.Entry<String, Map<Long, Long>> box : end.entrySet()) {
            for (Map.Entry<Long, Long> e : box.getValue().entrySet()) {
                long s0 = start.get(box.getKey()).get(e.getKey());
                long s1 = afterFirst.get(box.getKey()).get(e.getKey());
                long s2 = afterSecond.get(box.getKey()).get(e.getKey());
                long s3 = e.getValue();
                String what = box.getKey() + " UID " + e.getKey() + ": " + s0 + " -> " + s1 + " -> " + s2 + " -> " + s3;
                int changes = (s0 != s1 ? 1 : 0) + (s1 != s2 ? 1 : 0) + (s2 != s3 ? 1 : 0);
                assertTrue(changes <= 1, "moved more than once: " + what);
                moves += changes;
                if (changes == 1) {
                    cold.add(s3);
                }
                if (s1 == s0 && s3 != s1) {
                    movedLater += kept.get(box.getKey()).get(e.getKey()).length;
                }
            }
        }
        assertTrue(moves > 0);
        // Later rounds move only what the first left where it was (the segment being filled then).
        assertTrue(second.movedBytes() + third.movedBytes() <= movedLater,
                second + " " + third + " moved more than the " + movedLater + " bytes not moved before");
        for (Map.Entry<Long, Segment> e : indexedSegments().entrySet()) {
            assertTrue(Files.exists(store().segmentPath(e.getKey())), "indexed segment " + e.getKey() + " exists");
        }
        assertAllBytes();
        assertClean();
        assertFalse(cold.contains(segmentOfNewMail()), "new mail is stored apart from moved blobs " + cold);
        stores.reopen();
        assertFalse(cold.contains(segmentOfNewMail()), "after a restart too " + cold);
        assertAllBytes();
        assertClean();
    }

    /** Appends a short-lived message to INBOX (expunged at once) and tells the segment its bytes went to. */
    private long segmentOfNewMail() throws Exception {
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            long uid = box.append(new AppendRequest(Stores.bytes(body(9999)), Flags.NONE,
                    Instant.parse("2024-05-03T10:00:00Z"))).uid();
            long mailbox = ((FileMailbox) box).id();
            box.updateFlags(List.of(UidRange.of(uid)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            long segment = MessageRecord.decode(store().index().messages.get(new Key(mailbox, uid))).segment;
            assertEquals(1, box.expunge(List.of(UidRange.of(uid))).size());
            return segment;
        }
    }

    @Test
    void thresholdAndMinimumWasteAreHonoured() throws Exception {
        // A quarter live: not below 20 percent.
        stores = new Stores(dir, settings(new Compactor.Policy(20, 0, Long.MAX_VALUE / 4, 0)));
        fillAndExpunge();
        Map<String, Long> before = segmentFiles();
        assertEquals(0, store().compactSegments().segments());
        assertEquals(before, segmentFiles());
        stores.close();

        // Below 50 percent, but wasting less than the minimum.
        stores = new Stores(dir, settings(new Compactor.Policy(50, SEGMENT, Long.MAX_VALUE / 4, 0)));
        assertEquals(0, store().compactSegments().segments());
        assertEquals(before, segmentFiles());
        stores.close();

        // Off.
        stores = new Stores(dir, settings(new Compactor.Policy(0, 0, Long.MAX_VALUE / 4, 0)));
        assertEquals(0, store().compactSegments().segments());
        assertEquals(before, segmentFiles());
        stores.close();

        // Wasting just enough.
        stores = new Stores(dir, settings(new Compactor.Policy(50, SEGMENT / 2, Long.MAX_VALUE / 4, 0)));
        assertTrue(store().compactSegments().segments() >= 4);
        assertAllBytes();
        assertClean();
    }

    @Test
    void policyRejectsValuesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Compactor.Policy(101, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Compactor.Policy(-1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Compactor.Policy(50, -1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Compactor.Policy(50, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Compactor.Policy(50, 0, 1, -1));
        Compactor.Policy p = new Compactor.Policy(50, 10, 1, 0);
        assertTrue(p.wants(new Segment(100, 40, 2)));
        assertFalse(p.wants(new Segment(100, 50, 2)), "half live is not below half");
        assertFalse(p.wants(new Segment(100, 95, 2)));
        assertFalse(p.wants(new Segment(15, 6, 1)), "wastes 9 bytes, less than 10");
        assertFalse(p.wants(new Segment(100, 0, 0)), "empty segments go by deletion");
    }

    @Test
    void contentTakenBeforeCompactionOpensAfterAndStreamsOpenReadOn() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<Long, byte[]> inbox = kept.get("INBOX");
        long first = inbox.keySet().iterator().next();
        Map<Long, MessageContent> contents = new HashMap<>();
        MessageContent expunged;
        InputStream open;
        long lonelySegment;
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            for (long uid : inbox.keySet()) {
                contents.put(uid, box.content(uid));
            }
            open = box.content(first).open();
            assertEquals(10, open.readNBytes(10).length);
            // Taken now, expunged below with the last other content of its segment.
            long lonely = inbox.keySet().stream().skip(1).findFirst().orElseThrow();
            expunged = box.content(lonely);
            lonelySegment = MessageRecord.decode(store().index().messages.get(
                    new Key(((FileMailbox) box).id(), lonely))).segment;
        }
        Map<String, Long> before = segmentFiles();
        assertTrue(store().compactSegments().segments() >= 4);
        assertFalse(segmentFiles().keySet().containsAll(before.keySet()), "old segments were deleted");

        byte[] rest = open.readAllBytes();
        open.close();
        byte[] whole = inbox.get(first);
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 10, whole.length), rest,
                "a stream open before the move reads on from the old file");
        for (Map.Entry<Long, MessageContent> e : contents.entrySet()) {
            assertArrayEquals(inbox.get(e.getKey()), readAll(e.getValue()), "content of UID " + e.getKey());
        }

        // Now really expunge one message whose content was taken before: its blob goes.
        long gone = inbox.keySet().stream().skip(1).findFirst().orElseThrow();
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            box.updateFlags(List.of(UidRange.of(gone)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            box.expunge(null);
        }
        inbox.remove(gone);
        assertFalse(Files.exists(store().segmentPath(lonelySegment)), "its old segment is gone");
        IOException e = assertThrows(IOException.class, () -> readAll(expunged));
        assertEquals(ReadChannels.EXPUNGED, e.getMessage());
        assertAllBytes();
        assertClean();
    }

    @Test
    void readersDuringCompactionGetExactBytes() throws Exception {
        // Slow enough that the readers overlap the moves: about 1.5 s for the live bytes.
        long live = 0;
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        for (Map<Long, byte[]> box : kept.values()) {
            for (byte[] b : box.values()) {
                live += b.length;
            }
        }
        stores.close();
        stores = new Stores(dir, settings(new Compactor.Policy(50, 0, Math.max(1, live * 2 / 3), 0)));

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        kept.forEach((name, box) -> box.keySet().forEach(uid -> all.add(Map.entry(name, uid))));
        for (int t = 0; t < 3; t++) {
            Thread reader = new Thread(() -> {
                while (!done.get()) {
                    Map.Entry<String, Long> pick = all.get(ThreadLocalRandom.current().nextInt(all.size()));
                    try (Mailbox box = store().open(ALICE, pick.getKey())) {
                        MessageContent c = box.content(pick.getValue());
                        byte[] got = readAll(c);
                        if (!java.util.Arrays.equals(kept.get(pick.getKey()).get(pick.getValue()), got)) {
                            failures.add(new AssertionError("wrong bytes for " + pick));
                        }
                        reads.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        long start = System.nanoTime();
        Compactor.Result result;
        try {
            result = store().compactSegments();
        } finally {
            done.set(true);
            for (Thread r : readers) {
                r.join();
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(result.segments() >= 4, result.toString());
        assertTrue(failures.isEmpty(), () -> failures.peek().toString());
        assertTrue(reads.get() > 50, "readers overlapped the compaction: " + reads.get());
        // The rate bounds the copying from below: moved bytes at live * 2 / 3 per second.
        long floor = result.movedBytes() * 1000 / Math.max(1, live * 2 / 3);
        assertTrue(millis >= floor * 9 / 10, "took " + millis + " ms, the rate allows no less than " + floor);
        assertAllBytes();
        assertClean();
    }

    @Test
    void aCrashBeforeTheRepointingCommitLeavesTheOldPlacesAndCutsTheCopies() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<String, Long> before = segmentFiles();
        Map<Long, Segment> indexed = indexedSegments();
        AtomicBoolean copied = new AtomicBoolean();
        store().compactor().beforeCommit = () -> {
            try {
                assertTrue(total(segmentFiles()) > total(before), "the copies were written");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            copied.set(true);
            store().crashForTests();
        };
        assertEquals(0, store().compactSegments().segments());
        assertTrue(copied.get());

        stores.open();
        assertEquals(indexed, indexedSegments(), "the index is as before");
        assertEquals(before, segmentFiles(), "the copies were an uncommitted tail, cut at the start");
        assertAllBytes();
        assertClean();

        // And compaction then runs as if nothing happened.
        assertTrue(store().compactSegments().segments() >= 4);
        assertAllBytes();
        assertClean();
    }

    @Test
    void aCrashAfterTheRepointingCommitKeepsTheNewPlaces() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<String, Long> before = segmentFiles();
        Path aside = Files.createDirectory(dir.resolve("aside"));
        for (String name : before.keySet()) {
            Files.copy(dir.resolve("blobs").resolve(name), aside.resolve(name));
        }
        assertTrue(store().compactSegments().segments() >= 4);
        Map<String, Long> after = segmentFiles();
        store().crashForTests();
        // As if the crash came before the old files were deleted.
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                Files.copy(aside.resolve(name), dir.resolve("blobs").resolve(name));
            }
        }

        stores.open();
        assertEquals(after, segmentFiles(), "the old segments, no longer in the index, are deleted at the start");
        assertAllBytes();
        assertClean();
    }

    @Test
    void aCopyMadeWhileContentMovesIsRepointedToo() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<Long, byte[]> inbox = kept.get("INBOX");
        Map<Long, byte[]> trash = new TreeMap<>();
        store().compactor().beforeCommit = () -> {
            try (Mailbox box = store().open(ALICE, "INBOX")) {
                for (long uid : inbox.keySet()) {
                    Map<Long, Long> copied = box.copy(List.of(UidRange.of(uid)), "Trash");
                    trash.put(copied.get(uid), inbox.get(uid));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            store().compactor().beforeCommit = null;
        };
        assertTrue(store().compactSegments().segments() >= 4);
        kept.put("Trash", trash);
        assertAllBytes();
        assertClean();
        stores.reopen();
        assertAllBytes();
        assertClean();
    }

    @Test
    void aRecordLeftAtItsOldPlaceIsReadAtItsBlobsPlaceAndRepaired() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<Long, byte[]> inbox = kept.get("INBOX");
        long uid = inbox.keySet().iterator().next();
        long mailbox;
        MessageRecord old;
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            mailbox = ((FileMailbox) box).id();
        }
        old = MessageRecord.decode(store().index().messages.get(new Key(mailbox, uid)));
        assertTrue(store().compactSegments().segments() >= 4);
        MessageRecord now = MessageRecord.decode(store().index().messages.get(new Key(mailbox, uid)));
        assertTrue(now.segment != old.segment, "moved");
        // Put the old place back, as a copy racing the move would have it.
        store().committer().run(tx -> {
            tx.ix.messages.put(new Key(mailbox, uid), now.at(old.segment, old.offset).encode());
            return null;
        });
        assertFalse(Files.exists(store().segmentPath(old.segment)));
        assertAllBytes();
        CheckReport found = store().check(ALICE, false);
        assertEquals(1, found.problems().size(), found.problems().toString());
        assertTrue(found.problems().get(0).contains("no longer holds its content"), found.problems().toString());
        CheckReport repaired = store().check(ALICE, true);
        assertTrue(repaired.repaired(), repaired.problems().toString());
        assertClean();
        assertEquals(now.segment, MessageRecord.decode(store().index().messages.get(new Key(mailbox, uid))).segment);
        assertAllBytes();
    }

    @Test
    void theBackgroundThreadCompactsOnItsOwnAndStopsWithTheStore() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<String, Long> before = segmentFiles();
        stores.close();
        assertEquals(0, compactThreads());

        stores = new Stores(dir, settings(new Compactor.Policy(50, 0, Long.MAX_VALUE / 4, 50)));
        assertEquals(1, compactThreads());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (total(segmentFiles()) >= total(before) * 6 / 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(total(segmentFiles()) < total(before) * 6 / 10, before + " -> " + segmentFiles());
        assertAllBytes();
        assertClean();
        stores.close();
        assertEquals(0, compactThreads());
        assertEquals(0, FileMailStoreTest.commitThreads());
        stores.open();
    }

    @Test
    void closingTheStoreEndsACopyUnderWay() throws Exception {
        stores = new Stores(dir, settings(eager()));
        fillAndExpunge();
        Map<String, Long> before = segmentFiles();
        stores.close();
        // About 100 bytes a second: the copy would take minutes.
        stores = new Stores(dir, settings(new Compactor.Policy(50, 0, 100, 20)));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (total(segmentFiles()) == total(before) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        stores.close();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "close did not wait for the copy");
        assertEquals(0, compactThreads());
        stores.open();
        assertEquals(before, segmentFiles(), "the partial copy was an uncommitted tail, cut at the start");
        assertAllBytes();
        assertClean();
    }

    static long compactThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("postbus-store-compact") && t.isAlive()).count();
    }
}
