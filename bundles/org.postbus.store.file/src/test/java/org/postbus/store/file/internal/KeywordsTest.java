package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;

/**
 * The keyword list each mailbox record keeps for {@link Mailbox#keywords()}: every path that
 * gives a message a keyword adds it, nothing but emptying the mailbox takes one off, it survives
 * restarts, records from before it existed still work and get one, and it is capped.
 */
class KeywordsTest {

    private static final MailAddress ALICE = addr("alice@example.org");

    @TempDir
    Path dir;

    private Stores stores;

    @BeforeEach
    void open() throws Exception {
        stores = new Stores(dir);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private FileMailStore store() {
        return stores.store;
    }

    private static Flags kw(String... keywords) {
        return new Flags(Set.of(), Set.of(keywords));
    }

    private static FlagUpdate add(Flags flags) {
        return FlagUpdate.of(FlagUpdate.Mode.ADD, flags);
    }

    private static List<UidRange> uid(long uid) {
        return List.of(new UidRange(uid, uid));
    }

    /** In iteration order, which must be sorted ignoring case. */
    private static List<String> list(Set<String> keywords) {
        return new ArrayList<>(keywords);
    }

    /** What the messages have now: the API's default answer, which reads every message. */
    private static Set<String> walk(Mailbox box) throws Exception {
        try (Stream<MessageMeta> messages = box.messages(UidRange.ALL)) {
            Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            messages.forEach(m -> all.addAll(m.flags().keywords()));
            return all;
        }
    }

    /** The mailbox's record as last committed. */
    private MailboxRecord record(String name) throws Exception {
        return store().read(v -> {
            long id = v.mailboxId(Index.prefix(FileMailStore.knownUser(v, ALICE).id()) + name);
            return MailboxRecord.decode(id, v.mailbox(id));
        });
    }

    /** The names of the keyword ids the record lists. */
    private List<String> recorded(String name) throws Exception {
        MailboxRecord r = record(name);
        return store().read(v -> list(store().keywords(v, r.keywordIds())));
    }

    /** Rewrites a mailbox's record as code from before the keyword list wrote it. */
    private void downgrade(String name) throws Exception {
        store().user(ALICE);
        store().committer().run(tx -> {
            MailboxRecord r = tx.boxByName(tx.user(ALICE), name);
            tx.ix.mailboxes.put(r.id, r.encode(1));
            return null;
        });
    }

    @Test
    void appendAndDeliveryWithKeywordsListThem() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            assertEquals(List.of(), list(box.keywords()));
            box.append(message("Subject: a\r\n\r\na\r\n", kw("Work", "$Forwarded")));
            store().deliver(Map.of(ALICE, MailStore.INBOX), message("Subject: b\r\n\r\nb\r\n", kw("zeta")));
            assertEquals(List.of("$Forwarded", "Work", "zeta"), list(box.keywords()));
            assertEquals(MailboxRecord.Keywords.KNOWN, record(MailStore.INBOX).keywords());
            assertEquals(List.of("$Forwarded", "Work", "zeta"), recorded(MailStore.INBOX));
        }
    }

    @Test
    void storeAddsKeywordsThatStayAfterTheMessagesLoseThem() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            long first = box.append(message("Subject: 1\r\n\r\n1\r\n")).uid();
            box.append(message("Subject: 2\r\n\r\n2\r\n"));
            box.updateFlags(List.of(UidRange.ALL), add(kw("Alpha")));
            assertEquals(List.of("Alpha"), list(box.keywords()));

            box.updateFlags(uid(first), FlagUpdate.of(FlagUpdate.Mode.REPLACE,
                    new Flags(Set.of(Flag.SEEN), Set.of("Beta"))));
            assertEquals(List.of("Alpha", "Beta"), list(box.keywords()));

            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.REMOVE, kw("Alpha", "Beta", "Never")));
            assertEquals(Set.of(), walk(box), "no message has a keyword any more");
            assertEquals(List.of("Alpha", "Beta"), list(box.keywords()), "the list keeps them, as Dovecot's does");
            assertTrue(store().check(ALICE, false).clean(), "a list naming more than the messages have is fine");
        }
    }

    @Test
    void keywordsDifferingInCaseAreOneKeptInTheCaseFirstSeen() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            box.append(message("Subject: 1\r\n\r\n1\r\n", kw("Urgent")));
            long second = box.append(message("Subject: 2\r\n\r\n2\r\n")).uid();
            box.updateFlags(uid(second), add(kw("URGENT", "beta")));
            box.append(message("Subject: 3\r\n\r\n3\r\n", kw("urgent", "Alpha", "$x", "BETA")));
            assertEquals(List.of("$x", "Alpha", "beta", "Urgent"), list(box.keywords()));
            assertEquals(4, record(MailStore.INBOX).keywordIds().length);
            assertTrue(box.keywords().contains("uRGENT"), "a set that ignores case");
        }
    }

    @Test
    void copyAndMoveListKeywordsInTheTarget() throws Exception {
        try (Mailbox inbox = store().open(ALICE, MailStore.INBOX)) {
            long copied = inbox.append(message("Subject: c\r\n\r\nc\r\n", kw("Copied"))).uid();
            long moved = inbox.append(message("Subject: m\r\n\r\nm\r\n", kw("Moved"))).uid();
            inbox.copy(uid(copied), "Archive");
            inbox.move(uid(moved), "Trash");
            try (Mailbox archive = store().open(ALICE, "Archive"); Mailbox trash = store().open(ALICE, "Trash")) {
                assertEquals(List.of("Copied"), list(archive.keywords()));
                assertEquals(List.of("Moved"), list(trash.keywords()));
                assertEquals(List.of("Copied", "Moved"), list(inbox.keywords()));

                inbox.move(uid(copied), "Trash");
                assertEquals(List.of("Copied", "Moved"), list(trash.keywords()));
                assertEquals(List.of(), list(inbox.keywords()), "a mailbox left empty starts its list over");
            }
        }
    }

    @Test
    void renamingInboxTakesItsKeywordsAlong() throws Exception {
        try (Mailbox inbox = store().open(ALICE, MailStore.INBOX)) {
            inbox.append(message("Subject: r\r\n\r\nr\r\n", kw("Travelled")));
        }
        store().rename(ALICE, MailStore.INBOX, "Old");
        try (Mailbox old = store().open(ALICE, "Old"); Mailbox inbox = store().open(ALICE, MailStore.INBOX)) {
            assertEquals(List.of("Travelled"), list(old.keywords()));
            assertEquals(List.of(), list(inbox.keywords()));
        }
    }

    @Test
    void importListsTheKeywordsOfTheImportedMessages() throws Exception {
        Instant date = Instant.parse("2024-05-01T10:00:00Z");
        store().importMailbox(ALICE, "Imported", 42, 10, List.of(
                new ImportedMessage(3, new AppendRequest(Stores.content("Subject: i\r\n\r\ni\r\n"),
                        kw("$Label1", "Later"), date)),
                new ImportedMessage(7, new AppendRequest(Stores.content("Subject: j\r\n\r\nj\r\n"), Flags.NONE,
                        date))));
        try (Mailbox box = store().open(ALICE, "Imported")) {
            assertEquals(List.of("$Label1", "Later"), list(box.keywords()));
            assertEquals(MailboxRecord.Keywords.KNOWN, record("Imported").keywords());
        }
    }

    @Test
    void theListSurvivesRestartsAndCrashes() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            box.append(message("Subject: k\r\n\r\nk\r\n", kw("Kept", "Dropped")));
            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.REMOVE, kw("Dropped")));
        }
        stores.reopen();
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            assertEquals(List.of("Dropped", "Kept"), list(box.keywords()));
            box.updateFlags(List.of(UidRange.ALL), add(kw("AfterRestart")));
        }
        stores.crashAndReopen();
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            assertEquals(List.of("AfterRestart", "Dropped", "Kept"), list(box.keywords()));
            assertEquals(MailboxRecord.Keywords.KNOWN, record(MailStore.INBOX).keywords());
        }
    }

    @Test
    void expungingEveryMessageStartsTheListOver() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            box.append(message("Subject: 1\r\n\r\n1\r\n", kw("Old")));
            long second = box.append(message("Subject: 2\r\n\r\n2\r\n", kw("Other"))).uid();
            box.updateFlags(uid(second), add(Flags.of(Flag.DELETED)));
            box.expunge(null);
            assertEquals(List.of("Old", "Other"), list(box.keywords()), "one message is left: nothing is dropped");

            box.updateFlags(List.of(UidRange.ALL), add(Flags.of(Flag.DELETED)));
            box.expunge(null);
            assertEquals(List.of(), list(box.keywords()));
            box.append(message("Subject: 3\r\n\r\n3\r\n", kw("New")));
            assertEquals(List.of("New"), list(box.keywords()));
        }
    }

    @Test
    void anOldRecordStillOpensAndGetsItsListOnce() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            box.append(message("Subject: 1\r\n\r\n1\r\n", kw("Early")));
            box.append(message("Subject: 2\r\n\r\n2\r\n", kw("Gone")));
            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.REMOVE, kw("Gone")));
        }
        downgrade(MailStore.INBOX);
        stores.reopen();
        MailboxRecord old = record(MailStore.INBOX);
        assertEquals(MailboxRecord.Keywords.UNKNOWN, old.keywords());
        assertEquals(2, old.messages, "the rest of the old record reads as before");
        assertTrue(store().check(ALICE, false).clean(), "an old record is no problem: " + store().check(ALICE, false));
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            assertEquals(2, box.status().messages());
            assertEquals(List.of("Early"), list(box.keywords()), "found on the messages");
            // The list is recorded by a change queued behind the read: one more change runs after it.
            store().committer().run(tx -> null);
            assertEquals(MailboxRecord.Keywords.KNOWN, record(MailStore.INBOX).keywords());
            assertEquals(List.of("Early"), recorded(MailStore.INBOX));

            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.REMOVE, kw("Early")));
            assertEquals(List.of("Early"), list(box.keywords()), "read from the list now, not the messages");
        }
    }

    @Test
    void anOldRecordIsWalkedUntilRecordedAndTheRecordMissesNothingChangedMeanwhile() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            long first = box.append(message("Subject: 1\r\n\r\n1\r\n", kw("Early"))).uid();
            downgrade(MailStore.INBOX);
            // What a walk saw, and the MODSEQ it saw it at, before two changes it did not see.
            long seenAt = box.status().highestModSeq();
            long[] seen = store().committer().run(tx -> tx.keywordIds(Set.of("Early"), false));
            box.updateFlags(uid(first), add(kw("Late")));
            box.append(message("Subject: 2\r\n\r\n2\r\n", kw("Appended")));
            assertEquals(MailboxRecord.Keywords.UNKNOWN, record(MailStore.INBOX).keywords(),
                    "an unknown list is not started by a change: it would miss the older messages");
            assertEquals(List.of("Appended", "Early", "Late"), list(walk(box)));

            ((FileMailbox) box).remember(seen, seenAt).get();
            assertEquals(List.of("Appended", "Early", "Late"), recorded(MailStore.INBOX));

            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.REMOVE, kw("Late", "Appended")));
            ((FileMailbox) box).remember(new long[0], 0).get();
            assertEquals(List.of("Appended", "Early", "Late"), list(box.keywords()),
                    "a known list is not replaced by a later walk");
        }
    }

    @Test
    void anOldEmptyMailboxGetsItsListWithItsFirstMessage() throws Exception {
        downgrade("Archive");
        try (Mailbox box = store().open(ALICE, "Archive")) {
            assertEquals(MailboxRecord.Keywords.UNKNOWN, record("Archive").keywords());
            box.append(message("Subject: 1\r\n\r\n1\r\n", kw("First")));
            assertEquals(MailboxRecord.Keywords.KNOWN, record("Archive").keywords());
            assertEquals(List.of("First"), recorded("Archive"));
        }
    }

    @Test
    void pastTheCapTheListIsDroppedAndKeywordsAreStillRight() throws Exception {
        List<String> many = IntStream.rangeClosed(1, MailboxRecord.MAX_KEYWORDS + 1)
                .mapToObj(i -> String.format("k%04d", i)).toList();
        Set<String> upToCap = Set.copyOf(many.subList(0, MailboxRecord.MAX_KEYWORDS));
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            box.append(message("Subject: 1\r\n\r\n1\r\n"));
            box.updateFlags(List.of(UidRange.ALL), add(new Flags(Set.of(), upToCap)));
            assertEquals(MailboxRecord.Keywords.KNOWN, record(MailStore.INBOX).keywords(), "the cap itself is kept");
            assertEquals(MailboxRecord.MAX_KEYWORDS, box.keywords().size());

            box.updateFlags(List.of(UidRange.ALL), add(kw(many.get(MailboxRecord.MAX_KEYWORDS))));
            assertEquals(MailboxRecord.Keywords.TOO_MANY, record(MailStore.INBOX).keywords());
            assertEquals(many, list(box.keywords()), "read from the messages");

            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.REPLACE, kw("Few")));
            store().committer().run(tx -> null);
            assertEquals(MailboxRecord.Keywords.TOO_MANY, record(MailStore.INBOX).keywords(),
                    "not recorded again by a read while the mailbox holds messages");
            assertEquals(List.of("Few"), list(box.keywords()), "exactly what the messages have");
            assertTrue(store().check(ALICE, false).clean());

            box.updateFlags(List.of(UidRange.ALL), add(Flags.of(Flag.DELETED)));
            box.expunge(null);
            box.append(message("Subject: 2\r\n\r\n2\r\n", kw("Fresh")));
            assertEquals(MailboxRecord.Keywords.KNOWN, record(MailStore.INBOX).keywords());
            assertEquals(List.of("Fresh"), recorded(MailStore.INBOX));
        }
    }

    @Test
    void checkFindsAListLackingKeywordsAndRepairRebuildsIt() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            box.append(message("Subject: 1\r\n\r\n1\r\n", kw("Visible", "Also")));
        }
        store().committer().run(tx -> {
            tx.boxByName(tx.user(ALICE), MailStore.INBOX).setKeywords(new long[0]);
            return null;
        });
        CheckReport found = store().check(ALICE, false);
        assertFalse(found.clean());
        assertTrue(found.problems().stream().anyMatch(p -> p.contains("keyword list lacks 2 keywords")
                && p.contains("Visible") && p.contains("Also")), found.problems().toString());
        CheckReport repaired = store().check(ALICE, true);
        assertTrue(repaired.repaired(), repaired.problems().toString());
        assertTrue(store().check(ALICE, false).clean());
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            assertEquals(List.of("Also", "Visible"), list(box.keywords()));
        }
    }

    @Test
    void repairingCountersRebuildsTheListFromTheMessages() throws Exception {
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            box.append(message("Subject: 1\r\n\r\n1\r\n", kw("Live", "Stale")));
            box.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(FlagUpdate.Mode.REMOVE, kw("Stale")));
        }
        downgrade("Archive");
        store().committer().run(tx -> {
            MailboxRecord r = tx.boxByName(tx.user(ALICE), MailStore.INBOX);
            r.unseen = 99;
            r.dirty = true;
            return null;
        });
        CheckReport repaired = store().check(ALICE, true);
        assertTrue(repaired.repaired(), repaired.problems().toString());
        assertTrue(repaired.problems().stream().noneMatch(p -> p.contains("keyword")), repaired.problems().toString());
        try (Mailbox box = store().open(ALICE, MailStore.INBOX)) {
            assertEquals(List.of("Live"), list(box.keywords()));
            assertEquals(1, box.status().unseen());
        }
        assertEquals(MailboxRecord.Keywords.UNKNOWN, record("Archive").keywords(),
                "a mailbox with nothing to repair is left as it is");
        assertTrue(store().check(ALICE, false).clean());
    }

    @Test
    void keywordsOfOtherMailboxesDoNotLeakIn() throws Exception {
        try (Mailbox inbox = store().open(ALICE, MailStore.INBOX); Mailbox drafts = store().open(ALICE, "Drafts")) {
            inbox.append(message("Subject: 1\r\n\r\n1\r\n", kw("InboxOnly")));
            drafts.append(message("Subject: 2\r\n\r\n2\r\n", kw("DraftsOnly")));
            assertEquals(List.of("InboxOnly"), list(inbox.keywords()));
            assertEquals(List.of("DraftsOnly"), list(drafts.keywords()));
            assertEquals(walk(drafts).stream().collect(Collectors.toList()), list(drafts.keywords()));
        }
    }
}
