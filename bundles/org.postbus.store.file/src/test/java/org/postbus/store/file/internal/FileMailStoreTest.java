package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;
import static org.postbus.store.file.internal.Stores.read;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;

/** The store's behaviour as the API describes it. */
class FileMailStoreTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final MailAddress BOB = addr("bob@example.org");

    @TempDir
    Path dir;

    private Stores stores;
    private FileMailStore store;

    @BeforeEach
    void open() throws Exception {
        stores = new Stores(dir);
        store = stores.store;
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static List<String> names(List<MailboxInfo> boxes) {
        return boxes.stream().map(MailboxInfo::name).toList();
    }

    @Test
    void firstUseCreatesInboxAndSpecialUseMailboxes() throws Exception {
        List<MailboxInfo> boxes = store.mailboxes(ALICE);
        assertEquals(List.of("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"), names(boxes));
        Map<String, Set<SpecialUse>> uses = boxes.stream()
                .collect(Collectors.toMap(MailboxInfo::name, MailboxInfo::specialUse));
        assertEquals(Set.of(SpecialUse.SENT), uses.get("Sent"));
        assertEquals(Set.of(SpecialUse.DRAFTS), uses.get("Drafts"));
        assertEquals(Set.of(SpecialUse.TRASH), uses.get("Trash"));
        assertEquals(Set.of(SpecialUse.JUNK), uses.get("Junk"));
        assertEquals(Set.of(SpecialUse.ARCHIVE), uses.get("Archive"));
        assertEquals(Set.of(), uses.get("INBOX"));
        assertEquals(6, boxes.stream().map(MailboxInfo::id).distinct().count());
        assertEquals(6, boxes.stream().map(MailboxInfo::uidValidity).distinct().count());
        assertEquals(boxes, store.mailboxes(ALICE), "second use creates nothing");
        assertEquals(6, stores.events(StoreEvents.MAILBOX_CREATED).size());
    }

    @Test
    void inboxIsMatchedWithoutCase() throws Exception {
        try (Mailbox box = store.open(ALICE, "inbox")) {
            assertEquals(MailStore.INBOX, box.info().name());
            box.append(message("Subject: x\r\n\r\nhi\r\n"));
        }
        try (Mailbox box = store.open(ALICE, "InBoX")) {
            assertEquals(1, box.status().messages());
        }
        store.create(ALICE, "inbox/Sub", Set.of());
        assertTrue(names(store.mailboxes(ALICE)).contains("INBOX/Sub"));
        assertEquals(StoreException.Reason.ALREADY_EXISTS,
                assertThrows(StoreException.class, () -> store.create(ALICE, "Inbox", Set.of())).reason());
    }

    @Test
    void createMakesMissingParentsAndRefusesDuplicatesAndBadNames() throws Exception {
        MailboxInfo info = store.create(ALICE, "Work/Projects/Postbus", Set.of(SpecialUse.FLAGGED));
        assertEquals("Work/Projects/Postbus", info.name());
        assertEquals(Set.of(SpecialUse.FLAGGED), info.specialUse());
        assertTrue(names(store.mailboxes(ALICE)).containsAll(List.of("Work", "Work/Projects", "Work/Projects/Postbus")));
        assertEquals(StoreException.Reason.ALREADY_EXISTS,
                assertThrows(StoreException.class, () -> store.create(ALICE, "Work", Set.of())).reason());
        for (String bad : List.of("", "/a", "a/", "a//b", "a*b", "a%b", "a\u0001b")) {
            assertEquals(StoreException.Reason.INVALID_NAME,
                    assertThrows(StoreException.class, () -> store.create(ALICE, bad, Set.of())).reason(), bad);
        }
    }

    @Test
    void renameMovesChildrenAndKeepsIdentity() throws Exception {
        store.create(ALICE, "A/B/C", Set.of());
        store.subscribe(ALICE, "A/B", true);
        Map<String, MailboxInfo> before = store.mailboxes(ALICE).stream()
                .collect(Collectors.toMap(MailboxInfo::name, i -> i));
        try (Mailbox b = store.open(ALICE, "A/B")) {
            b.append(message("Subject: x\r\n\r\n1\r\n"));
        }
        stores.events.clear();
        store.rename(ALICE, "A", "X/Y");
        Map<String, MailboxInfo> after = store.mailboxes(ALICE).stream()
                .collect(Collectors.toMap(MailboxInfo::name, i -> i));
        assertFalse(after.containsKey("A"));
        assertFalse(after.containsKey("A/B"));
        assertTrue(after.containsKey("X"));
        assertEquals(before.get("A").id(), after.get("X/Y").id());
        assertEquals(before.get("A/B").id(), after.get("X/Y/B").id());
        assertEquals(before.get("A/B").uidValidity(), after.get("X/Y/B").uidValidity());
        assertEquals(before.get("A/B/C").id(), after.get("X/Y/B/C").id());
        assertTrue(after.get("X/Y/B").subscribed());
        try (Mailbox b = store.open(ALICE, "X/Y/B")) {
            assertEquals(1, b.status().messages());
        }
        List<Stores.Posted> renamed = stores.events(StoreEvents.MAILBOX_RENAMED);
        assertEquals(3, renamed.size());
        assertEquals("A", renamed.get(0).properties().get(StoreEvents.OLD_MAILBOX));
        assertEquals("X/Y", renamed.get(0).properties().get(StoreEvents.MAILBOX));

        assertEquals(StoreException.Reason.NONEXISTENT,
                assertThrows(StoreException.class, () -> store.rename(ALICE, "A", "Z")).reason());
        assertEquals(StoreException.Reason.ALREADY_EXISTS,
                assertThrows(StoreException.class, () -> store.rename(ALICE, "X/Y", "Sent")).reason());
        assertEquals(StoreException.Reason.NOT_ALLOWED,
                assertThrows(StoreException.class, () -> store.rename(ALICE, "X", "X/Y/B/Q")).reason());
    }

    @Test
    void renameToOwnParentLetsChildTakeTheOldName() throws Exception {
        store.create(ALICE, "P/Q/Q", Set.of());
        store.delete(ALICE, "P");
        store.rename(ALICE, "P/Q", "P");
        List<String> names = names(store.mailboxes(ALICE));
        assertTrue(names.contains("P"));
        assertTrue(names.contains("P/Q"));
        assertFalse(names.contains("P/Q/Q"));
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesItEmpty() throws Exception {
        Mailbox inbox = store.open(ALICE, "INBOX");
        inbox.append(message("Subject: 1\r\n\r\n1\r\n"));
        inbox.append(message("Subject: 2\r\n\r\n2\r\n", Flags.of(Flag.SEEN)));
        store.create(ALICE, "INBOX/Child", Set.of());
        String inboxId = inbox.info().id();
        store.rename(ALICE, "INBOX", "Old");
        assertEquals(0, inbox.status().messages());
        assertEquals(inboxId, inbox.info().id());
        assertEquals(List.of(1L, 2L), inbox.expungedSince(0));
        try (Mailbox old = store.open(ALICE, "Old")) {
            assertEquals(2, old.status().messages());
            assertEquals(1, old.status().unseen());
            assertNotEquals(inboxId, old.info().id());
            assertEquals("2", read(old.content(old.uids()[1]), 14, 1));
        }
        assertTrue(names(store.mailboxes(ALICE)).contains("INBOX/Child"));
        assertEquals(2, store.quota(ALICE).messages());
    }

    @Test
    void deleteRemovesMessagesKeepsChildrenAndRefusesInbox() throws Exception {
        store.create(ALICE, "Box/Child", Set.of());
        try (Mailbox box = store.open(ALICE, "Box")) {
            box.append(message("Subject: x\r\n\r\nhello\r\n"));
        }
        long used = store.quota(ALICE).usedBytes();
        assertTrue(used > 0);
        String oldId = store.open(ALICE, "Box").info().id();
        long oldValidity = store.open(ALICE, "Box").info().uidValidity();
        store.delete(ALICE, "Box");
        assertFalse(names(store.mailboxes(ALICE)).contains("Box"));
        assertTrue(names(store.mailboxes(ALICE)).contains("Box/Child"));
        assertEquals(0, store.quota(ALICE).usedBytes());
        assertEquals(StoreException.Reason.NONEXISTENT,
                assertThrows(StoreException.class, () -> store.open(ALICE, "Box")).reason());
        assertEquals(StoreException.Reason.NOT_ALLOWED,
                assertThrows(StoreException.class, () -> store.delete(ALICE, "inbox")).reason());
        assertEquals(StoreException.Reason.NONEXISTENT,
                assertThrows(StoreException.class, () -> store.delete(ALICE, "Nothing")).reason());
        MailboxInfo again = store.create(ALICE, "Box", Set.of());
        assertNotEquals(oldId, again.id());
        assertNotEquals(oldValidity, again.uidValidity());
    }

    @Test
    void subscriptionsNeedNoMailbox() throws Exception {
        store.create(ALICE, "Lists", Set.of());
        store.subscribe(ALICE, "Lists", true);
        store.subscribe(ALICE, "Ghost", true);
        assertTrue(store.mailboxes(ALICE).stream().filter(i -> i.name().equals("Lists")).findFirst().orElseThrow()
                .subscribed());
        store.subscribe(ALICE, "Lists", false);
        assertFalse(store.mailboxes(ALICE).stream().filter(i -> i.name().equals("Lists")).findFirst().orElseThrow()
                .subscribed());
        store.create(ALICE, "Ghost", Set.of());
        assertTrue(store.mailboxes(ALICE).stream().filter(i -> i.name().equals("Ghost")).findFirst().orElseThrow()
                .subscribed());
    }

    @Test
    void appendAssignsUidsAndModSeqsAndStreamsContentByRange() throws Exception {
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            MailboxStatus empty = box.status();
            assertEquals(1, empty.uidNext());
            Instant date = Instant.parse("2023-01-02T03:04:05.123456789Z");
            String text = "Subject: hello\r\n\r\nbody text\r\n";
            Instant before = Instant.now();
            MessageMeta m1 = box.append(new org.postbus.api.store.AppendRequest(Stores.content(text),
                    new Flags(Set.of(Flag.FLAGGED), Set.of("$Work")), date));
            MessageMeta m2 = box.append(message("Subject: two\r\n\r\n2\r\n"));
            assertEquals(1, m1.uid());
            assertEquals(2, m2.uid());
            assertTrue(m2.modSeq() > m1.modSeq());
            assertEquals(date, m1.internalDate());
            assertFalse(m1.saveDate().isBefore(before));
            assertEquals(text.length(), m1.size());
            assertEquals(new Flags(Set.of(Flag.FLAGGED), Set.of("$Work")), m1.flags());
            assertNotEquals(m1.emailId(), m2.emailId());

            MailboxStatus s = box.status();
            assertEquals(2, s.messages());
            assertEquals(2, s.unseen());
            assertEquals(3, s.uidNext());
            assertEquals(m2.modSeq(), s.highestModSeq());
            assertEquals(text.length() + m2.size(), s.size());
            assertArrayEquals(new long[] {1, 2}, box.uids());

            MessageContent c = box.content(1);
            assertEquals(text.length(), c.size());
            assertEquals(text, read(c, 0, Long.MAX_VALUE));
            assertEquals("hello", read(c, 9, 5));
            assertEquals("", read(c, 1000, 5));
            assertEquals(StoreException.Reason.NONEXISTENT,
                    assertThrows(StoreException.class, () -> box.content(99)).reason());

            try (Stream<MessageMeta> all = box.messages(UidRange.ALL)) {
                assertEquals(List.of(m1, m2), all.toList());
            }
            try (Stream<MessageMeta> one = box.messages(new UidRange(2, 5))) {
                assertEquals(List.of(m2), one.toList());
            }
        }
        List<Stores.Posted> added = stores.events(StoreEvents.MESSAGES_ADDED);
        assertEquals(2, added.size());
        assertArrayEquals(new long[] {1}, (long[]) added.get(0).properties().get(StoreEvents.UIDS));
        assertEquals(ALICE.toString(), added.get(0).properties().get(StoreEvents.USER));
        assertEquals("INBOX", added.get(0).properties().get(StoreEvents.MAILBOX));
    }

    @Test
    void flagUpdatesAddRemoveReplaceAndCondition() throws Exception {
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            for (int i = 0; i < 3; i++) {
                box.append(message("Subject: " + i + "\r\n\r\n" + i + "\r\n"));
            }
            long start = box.status().highestModSeq();
            List<MessageMeta> changed = box.updateFlags(List.of(new UidRange(1, 2)),
                    FlagUpdate.of(FlagUpdate.Mode.ADD, new Flags(Set.of(Flag.SEEN), Set.of("$Junk"))));
            assertEquals(2, changed.size());
            assertTrue(changed.get(0).flags().has(Flag.SEEN));
            assertEquals(Set.of("$Junk"), changed.get(0).flags().keywords());
            assertEquals(1, box.status().unseen());
            assertTrue(box.status().highestModSeq() > start);

            long before = box.status().highestModSeq();
            List<MessageMeta> same = box.updateFlags(List.of(UidRange.of(1)),
                    FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.SEEN)));
            assertEquals(List.of(changed.get(0)), same, "no change: returned as it was, MODSEQ kept");
            assertEquals(before, box.status().highestModSeq(), "no change, no new MODSEQ");
            long modSeqOf3 = box.messages(UidRange.of(3)).findFirst().orElseThrow().modSeq();
            List<MessageMeta> removed = box.updateFlags(List.of(UidRange.ALL),
                    FlagUpdate.of(FlagUpdate.Mode.REMOVE, new Flags(Set.of(), Set.of("$JUNK"))));
            assertEquals(3, removed.size(), "every message the update applied to, changed or not");
            assertEquals(Set.of(), removed.get(0).flags().keywords());
            assertTrue(removed.get(0).modSeq() > before, "1 lost $Junk");
            assertEquals(modSeqOf3, removed.get(2).modSeq(), "3 had no $Junk: kept its MODSEQ");

            List<MessageMeta> replaced = box.updateFlags(List.of(UidRange.of(3)),
                    FlagUpdate.of(FlagUpdate.Mode.REPLACE, Flags.of(Flag.DELETED, Flag.ANSWERED)));
            assertEquals(Set.of(Flag.DELETED, Flag.ANSWERED), replaced.get(0).flags().system());
            assertEquals(1, box.status().deleted());

            long m1 = box.messages(UidRange.of(1)).findFirst().orElseThrow().modSeq();
            long m2 = box.messages(UidRange.of(2)).findFirst().orElseThrow().modSeq();
            // message 2 changes after the client's view; message 1 did not
            box.updateFlags(List.of(UidRange.of(2)), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.FLAGGED)));
            List<MessageMeta> conditional = box.updateFlags(List.of(new UidRange(1, 2)),
                    new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flag.DRAFT), Math.max(m1, m2)));
            assertEquals(List.of(1L), conditional.stream().map(MessageMeta::uid).toList());
            assertTrue(conditional.get(0).flags().has(Flag.DRAFT));
        }
        assertFalse(stores.events(StoreEvents.FLAGS_CHANGED).isEmpty());
    }

    @Test
    void changedSinceAndExpungedSince() throws Exception {
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            for (int i = 0; i < 5; i++) {
                box.append(message("Subject: " + i + "\r\n\r\n" + i + "\r\n"));
            }
            long mark = box.status().highestModSeq();
            box.updateFlags(List.of(UidRange.of(4), UidRange.of(2)),
                    FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            try (Stream<MessageMeta> changed = box.changedSince(mark)) {
                assertEquals(List.of(2L, 4L), changed.map(MessageMeta::uid).toList());
            }
            try (Stream<MessageMeta> none = box.changedSince(box.status().highestModSeq())) {
                assertEquals(0, none.count());
            }
            long mark2 = box.status().highestModSeq();
            assertEquals(List.of(4L), box.expunge(List.of(new UidRange(3, 10))));
            assertEquals(List.of(2L), box.expunge(null));
            assertEquals(List.of(), box.expunge(null));
            assertEquals(List.of(2L, 4L), box.expungedSince(mark2));
            assertEquals(List.of(2L, 4L), box.expungedSince(0));
            assertEquals(List.of(), box.expungedSince(box.status().highestModSeq()));
            assertArrayEquals(new long[] {1, 3, 5}, box.uids());
            assertEquals(0, box.status().deleted());
            List<Stores.Posted> expunged = stores.events(StoreEvents.MESSAGES_EXPUNGED);
            assertEquals(2, expunged.size());
            assertEquals(box.status().highestModSeq(), expunged.get(1).properties().get(StoreEvents.MODSEQ));
        }
    }

    @Test
    void copyAndMoveShareContentAndMapUids() throws Exception {
        store.create(ALICE, "Archive/2024", Set.of());
        try (Mailbox inbox = store.open(ALICE, "INBOX")) {
            MessageMeta a = inbox.append(message("Subject: a\r\n\r\na\r\n", Flags.of(Flag.SEEN)));
            MessageMeta b = inbox.append(message("Subject: b\r\n\r\nb\r\n"));
            Map<Long, Long> copied = inbox.copy(List.of(UidRange.ALL), "Archive/2024");
            assertEquals(Map.of(1L, 1L, 2L, 2L), copied);
            long usedAfterCopy = store.quota(ALICE).usedBytes();
            assertEquals(2 * (a.size() + b.size()), usedAfterCopy);
            try (Mailbox archive = store.open(ALICE, "Archive/2024")) {
                MessageMeta copy = archive.messages(UidRange.of(1)).findFirst().orElseThrow();
                assertEquals(a.emailId(), copy.emailId());
                assertEquals(a.threadId(), copy.threadId());
                assertEquals(a.flags(), copy.flags());
                assertEquals(1, archive.status().unseen());
            }
            Map<Long, Long> moved = inbox.move(List.of(UidRange.of(2)), "Trash");
            assertEquals(Map.of(2L, 1L), moved);
            assertArrayEquals(new long[] {1}, inbox.uids());
            assertEquals(List.of(2L), inbox.expungedSince(0));
            assertEquals(usedAfterCopy, store.quota(ALICE).usedBytes(), "a move changes no quota");
            try (Mailbox trash = store.open(ALICE, "Trash")) {
                assertEquals("Subject: b\r\n\r\nb\r\n", read(trash.content(1), 0, Long.MAX_VALUE));
            }
            assertEquals(StoreException.Reason.NONEXISTENT, assertThrows(StoreException.class,
                    () -> inbox.copy(List.of(UidRange.ALL), "Nowhere")).reason());
            assertEquals(Map.of(), inbox.copy(List.of(new UidRange(50, 60)), "Trash"));
        }
    }

    @Test
    void quotaRefusesAppendAndCopyButNotMove() throws Exception {
        String text = "Subject: q\r\n\r\n" + "x".repeat(100) + "\r\n";
        stores.quotas.put(ALICE, (long) text.length() * 2);
        try (Mailbox inbox = store.open(ALICE, "INBOX")) {
            inbox.append(message(text));
            inbox.append(message(text));
            assertEquals(StoreException.Reason.OVER_QUOTA,
                    assertThrows(StoreException.class, () -> inbox.append(message(text))).reason());
            assertEquals(StoreException.Reason.OVER_QUOTA, assertThrows(StoreException.class,
                    () -> inbox.copy(List.of(UidRange.of(1)), "Archive")).reason());
            inbox.move(List.of(UidRange.of(1)), "Archive");
            assertEquals(new org.postbus.api.store.Quota(text.length() * 2L, text.length() * 2L, 2),
                    store.quota(ALICE));
        }
        assertEquals(new org.postbus.api.store.Quota(0, -1, 0), store.quota(BOB));
    }

    @Test
    void deliverStoresOnceForSeveralUsersAndFallsBackToInbox() throws Exception {
        store.create(BOB, "Lists", Set.of());
        Map<MailAddress, Long> uids = store.deliver(Map.of(ALICE, "Nowhere", BOB, "Lists"),
                message(Stores.mail("m1@x", null, null, "hi")));
        assertEquals(Map.of(ALICE, 1L, BOB, 1L), uids);
        String emailA;
        try (Mailbox a = store.open(ALICE, "INBOX")) {
            emailA = a.messages(UidRange.ALL).findFirst().orElseThrow().emailId();
        }
        try (Mailbox b = store.open(BOB, "Lists")) {
            assertEquals(emailA, b.messages(UidRange.ALL).findFirst().orElseThrow().emailId());
        }
        assertEquals(2, stores.events(StoreEvents.MESSAGES_ADDED).size());
    }

    @Test
    void deliverLeavesOutUsersOverQuotaAndThrowsWhenAllAre() throws Exception {
        stores.quotas.put(ALICE, 10L);
        Map<MailAddress, Long> uids = store.deliver(Map.of(ALICE, "INBOX", BOB, "INBOX"),
                message(Stores.mail("m2@x", null, null, "hello there")));
        assertEquals(Map.of(BOB, 1L), uids);
        assertEquals(0, store.quota(ALICE).messages());
        StoreException e = assertThrows(StoreException.class, () -> store.deliver(Map.of(ALICE, "INBOX"),
                message(Stores.mail("m3@x", null, null, "hello there"))));
        assertEquals(StoreException.Reason.OVER_QUOTA, e.reason());
    }

    @Test
    void handlesSeeChangesAndFailOnDeletedMailbox() throws Exception {
        store.create(ALICE, "Shared", Set.of());
        Mailbox one = store.open(ALICE, "Shared");
        Mailbox two = store.open(ALICE, "Shared");
        one.append(message("Subject: x\r\n\r\nx\r\n"));
        assertEquals(1, two.status().messages());
        store.rename(ALICE, "Shared", "Renamed");
        assertEquals("Renamed", two.info().name());
        store.delete(ALICE, "Renamed");
        assertEquals(StoreException.Reason.NONEXISTENT, assertThrows(StoreException.class, two::status).reason());
        assertEquals(StoreException.Reason.NONEXISTENT,
                assertThrows(StoreException.class, () -> two.append(message("Subject: y\r\n\r\ny\r\n"))).reason());
        one.close();
        two.close();
    }

    @Test
    void everythingSurvivesAReopen() throws Exception {
        store.create(ALICE, "Keep", Set.of(SpecialUse.ARCHIVE));
        store.subscribe(ALICE, "Keep", true);
        MessageMeta meta;
        try (Mailbox box = store.open(ALICE, "Keep")) {
            meta = box.append(message("Subject: keep\r\n\r\nkeep\r\n", new Flags(Set.of(Flag.SEEN), Set.of("$A"))));
            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.FLAGGED)));
        }
        MailboxStatus status = store.open(ALICE, "Keep").status();
        store = stores.reopen();
        try (Mailbox box = store.open(ALICE, "Keep")) {
            assertEquals(status, box.status());
            MessageMeta again = box.messages(UidRange.ALL).findFirst().orElseThrow();
            assertEquals(meta.emailId(), again.emailId());
            assertEquals(new Flags(Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("$A")), again.flags());
            assertEquals("keep", read(box.content(1), 17, 4));
            assertTrue(box.info().subscribed());
            assertEquals(Set.of(SpecialUse.ARCHIVE), box.info().specialUse());
            assertEquals(2, box.append(message("Subject: next\r\n\r\n")).uid());
        }
    }

    @Test
    void closedStoreAnswersUnavailable() throws Exception {
        Mailbox box = store.open(ALICE, "INBOX");
        stores.close();
        assertEquals(StoreException.Reason.UNAVAILABLE, assertThrows(StoreException.class, box::status).reason());
        assertEquals(StoreException.Reason.UNAVAILABLE,
                assertThrows(StoreException.class, () -> box.append(message("Subject: x\r\n\r\n"))).reason());
        assertEquals(StoreException.Reason.UNAVAILABLE,
                assertThrows(StoreException.class, () -> store.mailboxes(ALICE)).reason());
        stores.open();
    }

    @Test
    void noThreadOutlivesTheStore() throws Exception {
        assertTrue(commitThreads() >= 1);
        stores.close();
        assertEquals(0, commitThreads());
        stores.open();
    }

    static long commitThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("postbus-store-commit") && t.isAlive()).count();
    }
}
