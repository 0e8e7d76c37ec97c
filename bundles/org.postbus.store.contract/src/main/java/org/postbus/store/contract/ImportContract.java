package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.Quota;
import org.postbus.api.store.StoreException.Reason;
import org.postbus.store.contract.StoreFixture.PostedEvent;

/**
 * Migration of a mailbox with its UIDs ({@link MailStore#importMailbox}).
 *
 * <p>Semantics settled here:
 * <ul>
 * <li>The imported messages keep their UIDs, flags, keywords, internal dates and content; the
 *     mailbox takes the given UIDVALIDITY and UIDNEXT; each message gets a MODSEQ of at most
 *     HIGHESTMODSEQ, and {@code changedSince(0)} lists them all. Messages appended later get UIDs
 *     of at least the imported UIDNEXT.
 * <li>Importing into an existing mailbox is allowed while it has never held a message, whatever
 *     its UIDVALIDITY was; once it has held one (even if expunged since) the import fails with
 *     {@code NOT_ALLOWED} and changes nothing.
 * <li>The quota is checked for the whole import: over it, the import fails with
 *     {@code OVER_QUOTA}, creates no mailbox and stores nothing.
 * <li>Bad arguments (UIDVALIDITY below 1, UIDs not ascending or not below UIDNEXT) are an
 *     {@link IllegalArgumentException}; a bad name is {@code INVALID_NAME}.
 * <li>The import posts one {@code MESSAGES_ADDED} with all its UIDs, carrying the imported
 *     UIDVALIDITY.
 * </ul>
 */
abstract class ImportContract extends ContractSupport {

    static final long SOURCE_UIDVALIDITY = 1_234_567_890L;

    /** What the import gave one message, to compare with what the store shows. */
    record Source(long uid, byte[] bytes, Flags flags, Instant internalDate) {
        ImportedMessage imported() {
            return new ImportedMessage(uid, new AppendRequest(content(bytes), flags, internalDate));
        }
    }

    static List<ImportedMessage> imported(List<Source> sources) {
        return sources.stream().map(Source::imported).toList();
    }

    /** Four messages with gaps between their UIDs, various flags and dates. */
    static List<Source> sample() {
        return List.of(
                new Source(3, message("migrated three", 700), Flags.of(Flag.SEEN), Instant.parse("2019-01-02T03:04:05Z")),
                new Source(7, message("migrated seven"), flags(Set.of(Flag.FLAGGED, Flag.ANSWERED), "$Work"),
                        Instant.parse("2020-06-30T23:59:59Z")),
                new Source(8, message("migrated eight", 1200), Flags.NONE, Instant.parse("2021-12-24T18:00:00Z")),
                new Source(20, message("migrated twenty"), flags(Set.of(Flag.SEEN, Flag.DELETED), "$Old", "Later"),
                        DATE));
    }

    @Test
    void importKeepsUidsFlagsDatesAndUidValidity() throws Exception {
        store().mailboxes(ALICE);
        forgetEvents();
        List<Source> sources = sample();
        MailboxInfo info = store().importMailbox(ALICE, "Migrated/Old", SOURCE_UIDVALIDITY, 25, imported(sources));
        assertEquals("Migrated/Old", info.name(), "name of the imported mailbox");
        assertEquals(SOURCE_UIDVALIDITY, info.uidValidity(), "the mailbox takes the source's UIDVALIDITY");
        assertEquals(info.id(), requireListed(ALICE, "Migrated/Old").id(), "the imported mailbox is listed");
        requireListed(ALICE, "Migrated");

        Mailbox mailbox = open(ALICE, "Migrated/Old");
        assertEquals(List.of(3L, 7L, 8L, 20L), uids(mailbox), "the source's UIDs");
        assertImported(mailbox, sources, "after the import");
        MailboxStatus status = mailbox.status();
        assertEquals(25, status.uidNext(), "the source's UIDNEXT");
        assertEquals(SOURCE_UIDVALIDITY, status.uidValidity(), "UIDVALIDITY in status");
        assertEquals(new Counters(4, 2, 1, sources.stream().mapToLong(s -> s.bytes().length).sum()),
                Counters.of(status), "(messages, unseen, deleted, size) of the imported mailbox");
        assertEquals(new Quota(Counters.of(status).size(), -1, 4), store().quota(ALICE),
                "the imported messages count in the quota usage");

        PostedEvent added = awaitEvent(StoreEvents.MESSAGES_ADDED, ALICE, "Migrated/Old", e -> true,
                "after the import");
        assertEquals(uids(mailbox), eventUids(added), "one MESSAGES_ADDED with every imported UID");
        assertEquals(SOURCE_UIDVALIDITY, eventLong(added, StoreEvents.UIDVALIDITY),
                "MESSAGES_ADDED carries the imported UIDVALIDITY");

        MessageMeta next = append(mailbox, "after the migration");
        assertTrue(next.uid() >= 25, "a message appended after the import gets a UID of at least the imported "
                + "UIDNEXT 25, got " + next.uid());
        assertTrue(next.modSeq() > status.highestModSeq(), "and a MODSEQ above the imported HIGHESTMODSEQ");
        MessageMeta changed = update(mailbox, Mode.ADD, Flags.of(Flag.SEEN), 8).get(0);
        assertTrue(changed.modSeq() > next.modSeq(), "a flag change on an imported message gets a new MODSEQ");
        assertCountersMatchMessages(mailbox, "after appending to the imported mailbox");
    }

    @Test
    void importIntoAnEmptyMailboxTakesTheSourceUidValidity() throws Exception {
        Mailbox inbox = open(BOB, MailStore.INBOX);
        long ownUidValidity = inbox.status().uidValidity();
        long uidValidity = ownUidValidity == 42 ? 43 : 42;
        List<Source> sources = sample();
        MailboxInfo info = store().importMailbox(BOB, "inbox", uidValidity, 21, imported(sources));
        assertEquals(MailStore.INBOX, info.name(), "an import into 'inbox' goes to INBOX");
        assertEquals(inbox.info().id(), info.id(), "the INBOX keeps its identity");
        assertEquals(uidValidity, inbox.status().uidValidity(), "an empty INBOX takes the source's UIDVALIDITY");
        assertEquals(21, inbox.status().uidNext(), "UIDNEXT may be just above the highest UID");
        assertImported(inbox, sources, "imported into INBOX");

        store().create(BOB, "Nothing", Set.of());
        MailboxInfo empty = store().importMailbox(BOB, "Nothing", 77, 300, List.of());
        assertEquals(77, empty.uidValidity(), "an import of no message still sets UIDVALIDITY");
        assertEquals(300, open(BOB, "Nothing").status().uidNext(), "and UIDNEXT");
        assertEquals(0, open(BOB, "Nothing").status().messages(), "and stores nothing");
        assertTrue(append(open(BOB, "Nothing"), "first").uid() >= 300, "appends continue from the imported UIDNEXT");
    }

    @Test
    void importIsRefusedOnceTheMailboxHeldAMessage() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        append(inbox, "already here");
        assertImportChangesNothing(ALICE, MailStore.INBOX, Reason.NOT_ALLOWED, "into a mailbox holding a message");

        store().create(ALICE, "Emptied", Set.of());
        Mailbox emptied = open(ALICE, "Emptied");
        append(emptied, "gone soon", Flag.DELETED);
        emptied.expunge(null);
        assertImportChangesNothing(ALICE, "Emptied", Reason.NOT_ALLOWED,
                "into a mailbox that held a message, expunged since");

        store().importMailbox(ALICE, "Twice", SOURCE_UIDVALIDITY, 25, imported(sample()));
        assertImportChangesNothing(ALICE, "Twice", Reason.NOT_ALLOWED, "a second time into the same mailbox");
    }

    @Test
    void importBeyondQuotaStoresNothing() throws Exception {
        store().create(ALICE, "Work", Set.of());
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        append(inbox, message("existing", 1000), Flags.NONE);
        fixture().setQuota(ALICE, 3000);
        List<Source> sources = List.of(
                new Source(1, message("one", 1000), Flags.NONE, DATE),
                new Source(2, message("two", 1000), Flags.NONE, DATE),
                new Source(3, message("three", 1000), Flags.NONE, DATE));
        Quota before = store().quota(ALICE);

        expectFailure(Reason.OVER_QUOTA, "an import of 3000 bytes with 2000 left",
                () -> store().importMailbox(ALICE, "Imported/Sub", 5, 4, imported(sources)));
        assertNotListed(ALICE, "Imported/Sub", "an import over quota creates no mailbox");
        assertNotListed(ALICE, "Imported", "an import over quota creates no parent");
        assertImportChangesNothing(ALICE, "Work", Reason.OVER_QUOTA, "into an existing empty mailbox, over quota",
                sources);
        assertEquals(before, store().quota(ALICE), "usage unchanged by the refused imports");

        MailboxInfo info = store().importMailbox(ALICE, "Work", 5, 4, imported(sources.subList(0, 2)));
        assertEquals(5, info.uidValidity(), "an import that fits exactly is accepted");
        assertEquals(new Quota(3000, 3000, 3), store().quota(ALICE), "usage exactly at the limit");
    }

    @Test
    void importWithBadArgumentsIsRefused() throws Exception {
        List<ImportedMessage> good = imported(sample());
        assertThrows(IllegalArgumentException.class,
                () -> store().importMailbox(ALICE, "Bad", 0, 25, good), "UIDVALIDITY 0");
        assertThrows(IllegalArgumentException.class,
                () -> store().importMailbox(ALICE, "Bad", 1, 20, good), "a UID (20) not below UIDNEXT (20)");
        List<ImportedMessage> descending = new ArrayList<>(good);
        descending.add(0, descending.remove(2));
        assertThrows(IllegalArgumentException.class,
                () -> store().importMailbox(ALICE, "Bad", 1, 25, descending), "UIDs not ascending");
        List<ImportedMessage> twice = new ArrayList<>(good);
        twice.add(1, good.get(0));
        assertThrows(IllegalArgumentException.class,
                () -> store().importMailbox(ALICE, "Bad", 1, 25, twice), "a UID given twice");
        expectFailure(Reason.INVALID_NAME, "an import into 'a//b'",
                () -> store().importMailbox(ALICE, "a//b", 1, 25, good));
        assertNotListed(ALICE, "Bad", "a refused import creates no mailbox");
        assertEquals(0, store().quota(ALICE).messages(), "a refused import stores nothing");
    }

    @Test
    void importSurvivesACrash() throws Exception {
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long uid = 10 + i * 3L;
            Flags flags = i % 3 == 0 ? Flags.of(Flag.SEEN) : i % 3 == 1 ? keywords("$K" + i) : Flags.NONE;
            sources.add(new Source(uid, message("crash import " + i, 200 + i * 13), flags,
                    DATE.minusSeconds(86_400L * i)));
        }
        store().importMailbox(ALICE, "Archive/2019", 99, 500, imported(sources));
        Mailbox before = open(ALICE, "Archive/2019");
        MailboxStatus statusBefore = before.status();
        List<Seen> seenBefore = Seen.of(all(before));

        fixture().crashAndReopen();

        Mailbox after = open(ALICE, "Archive/2019");
        assertImported(after, sources, "after a crash");
        assertEquals(Seen.of(all(after)), seenBefore, "every imported message as acknowledged, after a crash");
        MailboxStatus status = after.status();
        assertEquals(99, status.uidValidity(), "UIDVALIDITY after a crash");
        assertTrue(status.uidNext() >= 500, "UIDNEXT after a crash is at least the imported one: " + status.uidNext());
        assertTrue(status.highestModSeq() >= statusBefore.highestModSeq(), "HIGHESTMODSEQ did not go back");
        assertCountersMatchMessages(after, "after a crash");
        assertTrue(append(after, "after the crash").uid() >= 500, "appends after the crash stay above UIDNEXT");
    }

    /** Each source message is there under its UID with its flags, date, size and bytes. */
    static void assertImported(Mailbox mailbox, List<Source> sources, String when) throws Exception {
        List<MessageMeta> listed = all(mailbox);
        Map<Long, MessageMeta> byUid = new LinkedHashMap<>();
        listed.forEach(m -> byUid.put(m.uid(), m));
        long highest = mailbox.status().highestModSeq();
        for (Source s : sources) {
            MessageMeta m = byUid.get(s.uid());
            assertTrue(m != null, when + ": UID " + s.uid() + " is missing, listed " + byUid.keySet());
            assertEquals(s.flags(), m.flags(), when + ": flags of UID " + s.uid());
            assertEquals(s.internalDate(), m.internalDate(), when + ": internal date of UID " + s.uid());
            assertEquals(s.bytes().length, m.size(), when + ": size of UID " + s.uid());
            assertContent(s.bytes(), mailbox, s.uid(), when);
            assertTrue(m.modSeq() >= 1 && m.modSeq() <= highest, when + ": MODSEQ " + m.modSeq() + " of UID "
                    + s.uid() + " lies in 1 to HIGHESTMODSEQ " + highest);
        }
        assertTrue(uidsOf(changedSince(mailbox, 0)).containsAll(sources.stream().map(Source::uid).toList()),
                when + ": CHANGEDSINCE 0 lists every imported message");
        assertCountersMatchMessages(mailbox, when);
    }

    private void assertImportChangesNothing(MailAddress user, String name, Reason reason,
            String what) throws Exception {
        assertImportChangesNothing(user, name, reason, what, sample());
    }

    private void assertImportChangesNothing(MailAddress user, String name, Reason reason,
            String what, List<Source> sources) throws Exception {
        Mailbox mailbox = open(user, name);
        MailboxStatus status = mailbox.status();
        List<Seen> messages = Seen.of(all(mailbox));
        Quota quota = store().quota(user);
        expectFailure(reason, "an import " + what,
                () -> store().importMailbox(user, name, SOURCE_UIDVALIDITY + 1, 1000, imported(sources)));
        assertEquals(status, mailbox.status(), "a refused import " + what + " changes no counter, UIDNEXT, "
                + "UIDVALIDITY or HIGHESTMODSEQ");
        assertEquals(messages, Seen.of(all(mailbox)), "a refused import " + what + " changes no message");
        assertEquals(quota, store().quota(user), "a refused import " + what + " changes no usage");
    }
}
