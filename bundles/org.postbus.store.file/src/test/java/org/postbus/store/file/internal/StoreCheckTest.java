package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;
import static org.postbus.store.file.internal.Stores.read;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.Quota;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.SmallRecords.Blob;
import org.postbus.store.file.internal.SmallRecords.Segment;
import org.postbus.store.file.internal.SmallRecords.Usage;
import org.postbus.store.file.internal.SmallRecords.User;

/**
 * The consistency check against an index and segment files damaged on purpose: each kind of
 * damage is found by a check alone (which changes nothing), repaired by a check with repair, and
 * a check afterwards is clean. Readable messages survive every repair.
 */
class StoreCheckTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final MailAddress BOB = addr("bob@example.org");
    private static final String BIG = "Subject: big\r\n\r\n" + "y".repeat(1500) + "\r\n";

    @TempDir
    Path dir;

    private Stores stores;

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private FileMailStore store() {
        return stores.store;
    }

    /** Changes the index as damage would, in one committed change. */
    private void damage(Committer.Change<?> change) throws Exception {
        store().committer().run(change);
    }

    private static MailboxRecord box(Tx tx, MailAddress user, String name) {
        return tx.boxByName(tx.user(user), name);
    }

    private static String text(int i) {
        return "Subject: " + i + "\r\n\r\nbody " + i + "\r\n";
    }

    private List<MessageMeta> appendTo(String mailbox, int count) throws Exception {
        try (Mailbox box = store().open(ALICE, mailbox)) {
            for (int i = 1; i <= count; i++) {
                box.append(message(text(i)));
            }
            return box.messages(UidRange.ALL).toList();
        }
    }

    /** The check finds something and changes nothing; the repair fixes it; the store is clean then. */
    private CheckReport findAndRepair(MailAddress user, String... expected) throws Exception {
        CheckReport found = store().check(user, false);
        assertFalse(found.clean(), "the damage is found");
        assertFalse(found.repaired(), "a check alone repairs nothing");
        for (String e : expected) {
            assertTrue(found.problems().stream().anyMatch(p -> p.contains(e)),
                    "a problem mentions '" + e + "': " + found.problems());
        }
        assertEquals(found.problems(), store().check(user, false).problems(), "a check alone changes nothing");
        CheckReport repaired = store().check(user, true);
        assertTrue(repaired.repaired(), "repaired: " + repaired.problems());
        assertEquals(found.problems().size(), repaired.problems().size(),
                "the repair finds what the check found: " + repaired.problems());
        CheckReport after = store().check(user, false);
        assertEquals(List.of(), after.problems(), "clean after the repair");
        return repaired;
    }

    @Test
    void healthyStoreIsCleanAndCountsWhatItChecked() throws Exception {
        stores = new Stores(dir);
        appendTo("INBOX", 5);
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            box.copy(List.of(UidRange.ALL), "Archive");
            box.move(List.of(new UidRange(1, 2)), "Trash");
        }
        store().deliver(Map.of(ALICE, "INBOX", BOB, "INBOX"), message(text(9)));
        CheckReport report = store().check(ALICE, true);
        assertEquals(List.of(), report.problems());
        assertFalse(report.repaired());
        assertEquals(6, report.mailboxes());
        assertEquals(11, report.messages());
        assertTrue(store().check(BOB, false).clean());
    }

    @Test
    void aCheckCreatesNoStore() throws Exception {
        stores = new Stores(dir);
        MailAddress nobody = addr("nobody@example.org");
        assertEquals(new CheckReport(nobody.toString(), 0, 0, List.of(), false), store().check(nobody, true));
        assertEquals(List.of(), store().users());
    }

    @Test
    void wrongCountersAndUsageAreRecomputed() throws Exception {
        stores = new Stores(dir);
        List<MessageMeta> messages = appendTo("INBOX", 3);
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            box.updateFlags(List.of(UidRange.of(1)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.SEEN)));
            box.updateFlags(List.of(UidRange.of(2)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
        }
        long size = messages.stream().mapToLong(MessageMeta::size).sum();
        damage(tx -> {
            MailboxRecord r = box(tx, ALICE, "INBOX");
            r.messages = 7;
            r.unseen = 0;
            r.deleted = 3;
            r.size = 1;
            r.dirty = true;
            tx.setUsage(tx.user(ALICE).id(), new Usage(5, 9));
            return null;
        });

        CheckReport repaired = findAndRepair(ALICE, "INBOX: its status says 7 messages (0 unseen, 3 deleted, 1 bytes), "
                + "its messages add up to 3 messages (2 unseen, 1 deleted, " + size + " bytes)",
                "quota usage says 9 messages of 5 bytes, the mailboxes hold 3 messages of " + size + " bytes");
        assertTrue(repaired.problems().stream().allMatch(p -> p.endsWith("recomputed)")), repaired.problems().toString());
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            MailboxStatus status = box.status();
            assertEquals(List.of(3L, 2L, 1L, size), List.of(status.messages(), status.unseen(), status.deleted(),
                    status.size()));
        }
        assertEquals(new Quota(size, -1, 3), store().quota(ALICE));
    }

    @Test
    void truncatedSegmentLosesOnlyTheMessagesCutOff() throws Exception {
        stores = new Stores(dir);
        List<MessageMeta> messages = appendTo("INBOX", 3);
        long keep = messages.get(0).size() + messages.get(1).size();
        stores.close();
        Path segment = dir.resolve("blobs").resolve("seg-1.dat");
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(keep + 4);
        }
        stores.open();
        stores.events.clear();

        CheckReport repaired = findAndRepair(ALICE,
                "INBOX: the content of UID 3 cannot be read: segment file seg-1.dat holds " + (keep + 4)
                        + " bytes, the message ends at byte " + (keep + messages.get(2).size()),
                "holds " + (keep + 4) + " bytes but " + (keep + messages.get(2).size()) + " are recorded as written");
        assertTrue(repaired.problems().stream().anyMatch(p -> p.contains("UID 3") && p.endsWith(
                "(message removed from the index)")), repaired.problems().toString());
        assertTrue(repaired.problems().stream().noneMatch(p -> p.contains("UID 1") || p.contains("UID 2")),
                "readable messages are not touched: " + repaired.problems());

        try (Mailbox box = store().open(ALICE, "INBOX")) {
            assertArrayEquals(new long[] {1, 2}, box.uids());
            assertEquals(text(1), read(box.content(1), 0, Long.MAX_VALUE));
            assertEquals(text(2), read(box.content(2), 0, Long.MAX_VALUE));
            assertEquals(List.of(3L), box.expungedSince(0), "clients learn UID 3 is gone (VANISHED)");
            assertEquals(2, box.status().messages());
            assertEquals(4, box.append(message(text(4))).uid(), "the removed UID is not given again");
            assertEquals(text(4), read(box.content(4), 0, Long.MAX_VALUE));
        }
        assertEquals(1, stores.events(StoreEvents.MESSAGES_EXPUNGED).size(), "the removal is posted");
        assertEquals(keep + text(4).length(), store().quota(ALICE).usedBytes());
        assertTrue(store().check(ALICE, false).clean());
        stores.reopen();
        assertTrue(store().check(ALICE, false).clean(), "clean after a restart too");
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            assertArrayEquals(new long[] {1, 2, 4}, box.uids());
            assertEquals(text(4), read(box.content(4), 0, Long.MAX_VALUE));
        }
    }

    @Test
    void missingSegmentFileRemovesItsMessagesOnly() throws Exception {
        stores = new Stores(dir, new FileMailStore.Settings(2048, 4));
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            for (int i = 0; i < 3; i++) {
                box.append(message(BIG + i));
            }
        }
        stores.close();
        Files.delete(dir.resolve("blobs").resolve("seg-2.dat"));
        stores.open();

        findAndRepair(ALICE, "INBOX: the content of UID 2 cannot be read: its segment file seg-2.dat is missing");
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            assertArrayEquals(new long[] {1, 3}, box.uids());
            assertEquals(BIG + 2, read(box.content(3), 0, Long.MAX_VALUE));
        }
        assertEquals(null, store().index().segments.get(2L), "the lost segment is forgotten");
    }

    @Test
    void changeLogExpungedListAndUidMapAreRebuilt() throws Exception {
        stores = new Stores(dir);
        List<MessageMeta> messages = appendTo("INBOX", 5);
        long highest;
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            box.updateFlags(List.of(UidRange.of(5)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            box.expunge(null);
            highest = box.status().highestModSeq();
        }
        assertTrue(highest > 3);
        damage(tx -> {
            MailboxRecord r = box(tx, ALICE, "INBOX");
            tx.ix.changes.remove(new Key(r.id, messages.get(1).modSeq()));
            tx.ix.changes.put(new Key(r.id, 1000), 3L);
            tx.ix.vanished.put(new Key(r.id, 2), 4L);
            tx.ix.uidSets.remove(UidSets.key(r.id, 1));
            r.uidNext = 3;
            r.highestModSeq = 3;
            r.dirty = true;
            return null;
        });

        findAndRepair(ALICE, "UID 5 is in use but UIDNEXT is 3", "MODSEQ " + highest + " is in use but HIGHESTMODSEQ is 3",
                "1 message missing from the change log, so CHANGEDSINCE would not list them: UIDs 2",
                "the change log has 1 entry for messages", "1 UID listed as expunged while present",
                "the UID map (sequence numbers) does not match the messages");
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            assertArrayEquals(new long[] {1, 2, 3, 4}, box.uids());
            try (Stream<MessageMeta> all = box.changedSince(0)) {
                assertEquals(List.of(1L, 2L, 3L, 4L), all.map(MessageMeta::uid).toList());
            }
            assertEquals(List.of(5L), box.expungedSince(0));
            assertEquals(highest, box.status().highestModSeq(), "HIGHESTMODSEQ raised to the highest in use");
            MessageMeta next = box.append(message(text(6)));
            assertEquals(6, next.uid(), "UIDNEXT raised above the expunged UID 5");
            assertTrue(next.modSeq() > highest);
        }
    }

    @Test
    void twoMessagesSharingAModSeqAreSeparated() throws Exception {
        stores = new Stores(dir);
        appendTo("INBOX", 2);
        damage(tx -> {
            MailboxRecord r = box(tx, ALICE, "INBOX");
            MessageRecord m = tx.message(r.id, 2);
            tx.ix.changes.remove(new Key(r.id, m.modSeq));
            m.modSeq = tx.message(r.id, 1).modSeq;
            tx.ix.messages.put(new Key(r.id, 2), m.encode());
            return null;
        });
        findAndRepair(ALICE, "missing from the change log");
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            List<MessageMeta> all = box.messages(UidRange.ALL).toList();
            assertTrue(all.get(1).modSeq() > all.get(0).modSeq(), "UID 2 got a MODSEQ of its own");
            assertEquals(all.get(1).modSeq(), box.status().highestModSeq());
        }
    }

    @Test
    void wrongReferenceCountsAreCountedOverTheWholeStore() throws Exception {
        stores = new Stores(dir);
        appendTo("INBOX", 1);
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            box.copy(List.of(UidRange.ALL), "Archive");
        }
        store().deliver(Map.of(ALICE, "INBOX", BOB, "INBOX"), message(text(2)));
        damage(tx -> {
            tx.ix.blobs.put(1L, Blob.decode(tx.ix.blobs.get(1L)).withRefs(1).encode());
            tx.ix.blobs.put(2L, Blob.decode(tx.ix.blobs.get(2L)).withRefs(5).encode());
            return null;
        });

        findAndRepair(ALICE, "the content M1 counts 1 reference but is in use by 2 messages",
                "the content M2 counts 5 references but is in use by 2 messages");
        assertEquals(2, Blob.decode(store().index().blobs.get(1L)).refs());
        assertEquals(2, Blob.decode(store().index().blobs.get(2L)).refs(), "bob's reference counted too");
        assertTrue(store().check(BOB, false).clean());

        // With the count right, expunging one copy leaves the other readable.
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            box.updateFlags(List.of(UidRange.of(1)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            box.expunge(null);
        }
        try (Mailbox box = store().open(ALICE, "Archive")) {
            assertEquals(text(1), read(box.content(1), 0, Long.MAX_VALUE));
        }
        assertTrue(store().check(ALICE, false).clean());
    }

    @Test
    void lostContentAndSegmentRecordsAreRecordedAgain() throws Exception {
        stores = new Stores(dir);
        List<MessageMeta> messages = appendTo("INBOX", 2);
        long length = messages.get(0).size() + messages.get(1).size();
        damage(tx -> {
            tx.ix.blobs.remove(2L);
            tx.ix.segments.remove(1L);
            return null;
        });

        findAndRepair(ALICE, "segment file seg-1.dat holds messages but is not recorded in the index",
                "the content record M2 is missing, though in use by 1 message");
        assertEquals(new Segment(length, length, 2), Segment.decode(store().index().segments.get(1L)));
        assertEquals(new Blob(1, messages.get(0).size(), messages.get(1).size(), 1),
                Blob.decode(store().index().blobs.get(2L)));
        stores.reopen();
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            assertEquals(text(1), read(box.content(1), 0, Long.MAX_VALUE), "the segment survived a restart");
            assertEquals(text(2), read(box.content(2), 0, Long.MAX_VALUE));
        }
    }

    @Test
    void committedLengthShortOfTheMessagesIsRaised() throws Exception {
        stores = new Stores(dir);
        List<MessageMeta> messages = appendTo("INBOX", 2);
        long length = messages.get(0).size() + messages.get(1).size();
        damage(tx -> {
            Segment s = Segment.decode(tx.ix.segments.get(1L));
            tx.ix.segments.put(1L, new Segment(10, s.liveBytes(), s.liveBlobs()).encode());
            return null;
        });
        findAndRepair(ALICE, "messages reach byte " + length + " but only 10 bytes are recorded as written");
        stores.reopen();
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            assertEquals(text(2), read(box.content(2), 0, Long.MAX_VALUE), "not cut off at the restart");
        }
    }

    @Test
    void undecodableEntryIsRemoved() throws Exception {
        stores = new Stores(dir);
        appendTo("INBOX", 2);
        damage(tx -> {
            tx.ix.messages.put(new Key(box(tx, ALICE, "INBOX").id, 2), new byte[] {1, (byte) 0xFF});
            return null;
        });
        findAndRepair(ALICE, "INBOX: the index entry of UID 2 cannot be decoded");
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            assertArrayEquals(new long[] {1}, box.uids());
            assertEquals(new Quota(text(1).length(), -1, 1), store().quota(ALICE));
        }
    }

    @Test
    void contentExpungedWhileACheckReadsAnOlderViewIsNoProblem() throws Exception {
        stores = new Stores(dir, new FileMailStore.Settings(2048, 4));
        try (Mailbox box = store().open(ALICE, "INBOX")) {
            for (int i = 0; i < 3; i++) {
                box.append(message(BIG + i));
            }
        }
        User u = store().read(v -> FileMailStore.knownUser(v, ALICE));
        View old = store().acquire();
        try {
            try (Mailbox box = store().open(ALICE, "INBOX")) {
                box.updateFlags(List.of(UidRange.of(1)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
                box.expunge(null);
            }
            assertFalse(Files.exists(dir.resolve("blobs").resolve("seg-1.dat")), "the emptied segment is deleted");
            CheckReport report = new StoreCheck(ALICE, u, new StoreCheck.ViewSource(old, store()::stillPresent),
                    store()::segmentPath, null).run();
            assertEquals(List.of(), report.problems(), "the older view's message is gone, not damaged");
        } finally {
            old.release();
        }
    }

    @Test
    void problemsAreListedUpToALimit() throws Exception {
        stores = new Stores(dir);
        appendTo(MailStore.INBOX, 1);
        damage(tx -> {
            MailboxRecord r = box(tx, ALICE, MailStore.INBOX);
            MessageRecord m = tx.message(r.id, 1);
            for (long uid = 2; uid < StoreCheck.MAX_PROBLEMS + 50; uid++) {
                // Entries pointing into a segment that never existed.
                tx.ix.messages.put(new Key(r.id, uid), new MessageRecord(uid + 10, m.flags, m.keywords,
                        m.internalDate, m.saveDate, m.size, m.blobId, 77, 0, m.threadId).encode());
            }
            return null;
        });
        CheckReport found = store().check(ALICE, false);
        assertEquals(StoreCheck.MAX_PROBLEMS + 1, found.problems().size());
        assertTrue(found.problems().get(StoreCheck.MAX_PROBLEMS).startsWith("... and "), found.problems()
                .get(StoreCheck.MAX_PROBLEMS));
        CheckReport repaired = store().check(ALICE, true);
        assertTrue(repaired.repaired());
        assertTrue(store().check(ALICE, false).clean());
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            assertArrayEquals(new long[] {1}, box.uids());
        }
    }
}
