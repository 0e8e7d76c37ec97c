package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException.Reason;

/**
 * A user's tree of mailboxes: INBOX, special-use mailboxes, create, rename, delete, subscribe.
 *
 * <p>Semantics settled here where the API javadoc is silent:
 * <ul>
 * <li>"First use" is any call naming the user: a fresh user can open INBOX or Sent (APPEND to
 *     Sent as a client's first command) without listing first.
 * <li>The special-use mailboxes are named {@code Drafts}, {@code Sent}, {@code Trash},
 *     {@code Junk} and {@code Archive}, one of each role.
 * <li>"Sorted by name" is {@link String#compareTo} on the full names.
 * <li>Invalid names include the empty name, an empty level ({@code a//b}, {@code /a}) and control
 *     characters.
 * <li>A mailbox created as a missing parent is an ordinary mailbox (listed, selectable).
 * <li>RENAME creates missing parents of the new name, as CREATE does (RFC 9051 section 6.3.6,
 *     SHOULD).
 * <li>After deleting a mailbox that has children, the deleted name is neither listed nor
 *     openable (the API has no {@code \Noselect}); its children are untouched.
 * <li>A name created again (after DELETE, or after RENAME away) is a new mailbox: new id and a
 *     different UIDVALIDITY.
 * <li>Renaming INBOX keeps INBOX's id; INBOX then either has a new UIDVALIDITY, or keeps it and
 *     reports the moved UIDs as expunged and never reuses them. The new mailbox has its own id.
 * <li>Subscriptions are by name (RFC 9051 section 6.3.7): subscribing to a name that does not
 *     exist creates nothing but shows when it is created; deleting a mailbox does not
 *     unsubscribe it; unsubscribing a name not subscribed is not an error.
 * </ul>
 */
abstract class MailboxContract extends ContractSupport {

    static final Map<SpecialUse, String> SPECIAL_USE_NAMES = Map.of(
            SpecialUse.DRAFTS, "Drafts",
            SpecialUse.SENT, "Sent",
            SpecialUse.TRASH, "Trash",
            SpecialUse.JUNK, "Junk",
            SpecialUse.ARCHIVE, "Archive");

    @Test
    void inboxExistsOnFirstUse() throws Exception {
        List<MailboxInfo> list = store().mailboxes(ALICE);
        assertEquals(1, list.stream().filter(i -> i.name().equals(MailStore.INBOX)).count(),
                "a new user's list holds INBOX exactly once: " + namesOf(ALICE));
        MailboxInfo inbox = requireListed(ALICE, MailStore.INBOX);
        assertNzNumber(inbox.uidValidity(), "INBOX's UIDVALIDITY");
        assertTrue(inbox.specialUse().isEmpty(), "INBOX has no special-use role: " + inbox.specialUse());

        Mailbox mailbox = open(ALICE, MailStore.INBOX);
        assertEquals(inbox.id(), mailbox.info().id(), "the open INBOX is the listed one");
        assertEquals(0, mailbox.status().messages(), "a new INBOX is empty");
        assertEquals(inbox.uidValidity(), mailbox.status().uidValidity(), "UIDVALIDITY in status and list agree");
        assertEquals(0, mailbox.uids().length, "a new INBOX has no UIDs");
    }

    @Test
    void inboxOpensBeforeAnyListing() throws Exception {
        Mailbox inbox = open(BOB, MailStore.INBOX);
        MessageMeta appended = append(inbox, "first ever");
        assertEquals(List.of(appended.uid()), uids(inbox), "the message appended to a fresh user's INBOX");
        assertEquals(1, store().mailboxes(BOB).stream().filter(i -> i.name().equals(MailStore.INBOX)).count(),
                "INBOX listed exactly once after it was opened first: " + namesOf(BOB));
    }

    @Test
    void inboxMatchesWithoutCase() throws Exception {
        Mailbox upper = open(ALICE, "INBOX");
        for (String spelling : List.of("inbox", "InBoX", "Inbox")) {
            Mailbox other = open(ALICE, spelling);
            assertEquals(MailStore.INBOX, other.info().name(), "open('" + spelling + "') is named INBOX");
            assertEquals(upper.info().id(), other.info().id(), "open('" + spelling + "') is the INBOX");
        }
        MessageMeta meta = append(open(ALICE, "inbox"), "via lower case");
        assertEquals(List.of(meta.uid()), uids(upper), "a message appended to 'inbox' is in INBOX");
        expectFailure(Reason.ALREADY_EXISTS, "create('Inbox')", () -> store().create(ALICE, "Inbox", Set.of()));
        assertEquals(1, namesOf(ALICE).stream().filter(n -> n.equalsIgnoreCase("inbox")).count(),
                "one inbox, whatever the case: " + namesOf(ALICE));
    }

    @Test
    void specialUseMailboxesAppearOnFirstUse() throws Exception {
        List<MailboxInfo> list = store().mailboxes(ALICE);
        for (Map.Entry<SpecialUse, String> role : SPECIAL_USE_NAMES.entrySet()) {
            MailboxInfo info = requireListed(ALICE, role.getValue());
            assertEquals(Set.of(role.getKey()), info.specialUse(),
                    "special-use of '" + role.getValue() + "' on first use");
            assertEquals(1, list.stream().filter(i -> i.specialUse().contains(role.getKey())).count(),
                    "exactly one mailbox has " + role.getKey().imapName() + " on first use: " + list);
            assertNzNumber(info.uidValidity(), "UIDVALIDITY of " + role.getValue());
        }
    }

    @Test
    void specialUseMailboxOpensBeforeAnyListing() throws Exception {
        Mailbox sent = open(BOB, "Sent");
        assertEquals(Set.of(SpecialUse.SENT), sent.info().specialUse(), "a fresh user's Sent has \\Sent");
        MessageMeta meta = append(sent, "saved copy", Flag.SEEN);
        assertEquals(List.of(meta.uid()), uids(sent), "the message a client saved into Sent first thing");
        Mailbox drafts = open(CAROL, "Drafts");
        assertEquals(Set.of(SpecialUse.DRAFTS), drafts.info().specialUse(), "a fresh user's Drafts has \\Drafts");
    }

    @Test
    void mailboxesAreSortedByName() throws Exception {
        for (String name : List.of("b", "a/c", "Zeta", "Älter", "a b", "B")) {
            store().create(ALICE, name, Set.of());
        }
        List<String> names = namesOf(ALICE);
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String::compareTo);
        assertEquals(sorted, names, "mailboxes() is sorted by full name");
        assertTrue(names.containsAll(List.of("b", "a/c", "a", "Zeta", "Älter", "a b", "B")), "all created: " + names);
    }

    @Test
    void createMakesMissingParents() throws Exception {
        MailboxInfo created = store().create(ALICE, "Projects/2024/Q1", Set.of());
        assertEquals("Projects/2024/Q1", created.name(), "create returns the new mailbox");
        assertNzNumber(created.uidValidity(), "UIDVALIDITY of a created mailbox");
        for (String name : List.of("Projects", "Projects/2024", "Projects/2024/Q1")) {
            requireListed(ALICE, name);
            assertEquals(0, open(ALICE, name).status().messages(), name + " opens and is empty");
        }
        assertEquals(created.id(), requireListed(ALICE, "Projects/2024/Q1").id(), "listed as created");
        expectFailure(Reason.ALREADY_EXISTS, "create of a parent made on the way",
                () -> store().create(ALICE, "Projects/2024", Set.of()));
    }

    @Test
    void createKeepsUnicodeNameAndSpecialUse() throws Exception {
        MailboxInfo unicode = store().create(ALICE, "Reçus/日本語", Set.of());
        assertEquals("Reçus/日本語", unicode.name(), "name kept in Unicode");
        assertEquals(unicode.id(), requireListed(ALICE, "Reçus/日本語").id(), "listed under its Unicode name");
        assertEquals(0, open(ALICE, "Reçus/日本語").status().messages(), "opens by its Unicode name");

        MailboxInfo receipts = store().create(ALICE, "Receipts", Set.of(SpecialUse.ARCHIVE));
        assertEquals(Set.of(SpecialUse.ARCHIVE), receipts.specialUse(), "create returns the special use given");
        assertEquals(Set.of(SpecialUse.ARCHIVE), requireListed(ALICE, "Receipts").specialUse(),
                "listed with the special use given at create (RFC 6154 CREATE-SPECIAL-USE)");
        assertNotEquals(unicode.id(), receipts.id(), "two mailboxes, two ids");
    }

    @Test
    void createOfExistingNameFails() throws Exception {
        MailboxInfo work = store().create(ALICE, "Work", Set.of());
        expectFailure(Reason.ALREADY_EXISTS, "second create('Work')", () -> store().create(ALICE, "Work", Set.of()));
        expectFailure(Reason.ALREADY_EXISTS, "create('Sent') after first use",
                () -> store().create(ALICE, "Sent", Set.of()));
        assertEquals(1, namesOf(ALICE).stream().filter("Work"::equals).count(), "Work listed once");
        assertEquals(work.id(), requireListed(ALICE, "Work").id(), "the failed create left Work as it was");
    }

    @Test
    void invalidNamesAreRefused() throws Exception {
        List<String> before = namesOf(ALICE);
        for (String name : List.of("", "a//b", "/a", "nul\u0000char", "line\r\nbreak", "tab\tname")) {
            String shown = name.replace("\u0000", "\\0").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
            expectFailure(Reason.INVALID_NAME, "create('" + shown + "')", () -> store().create(ALICE, name, Set.of()));
        }
        assertEquals(before, namesOf(ALICE), "refused names leave the tree as it was");
    }

    @Test
    void missingMailboxIsNonexistent() throws Exception {
        expectFailure(Reason.NONEXISTENT, "open('Nope')", () -> store().open(ALICE, "Nope"));
        expectFailure(Reason.NONEXISTENT, "delete('Nope')", () -> store().delete(ALICE, "Nope"));
        expectFailure(Reason.NONEXISTENT, "rename('Nope', 'Other')", () -> store().rename(ALICE, "Nope", "Other"));
        assertNotListed(ALICE, "Other", "the failed rename created nothing");
        assertNotListed(ALICE, "Nope", "open, delete and rename of a missing mailbox create nothing");
    }

    @Test
    void deletingInboxIsNotAllowed() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta meta = append(inbox, "keep me");
        expectFailure(Reason.NOT_ALLOWED, "delete('INBOX')", () -> store().delete(ALICE, "INBOX"));
        expectFailure(Reason.NOT_ALLOWED, "delete('inbox')", () -> store().delete(ALICE, "inbox"));
        requireListed(ALICE, MailStore.INBOX);
        assertEquals(List.of(meta.uid()), uids(open(ALICE, MailStore.INBOX)), "INBOX keeps its message");
    }

    @Test
    void renameKeepsIdentityAndMovesChildren() throws Exception {
        MailboxInfo old = store().create(ALICE, "Old", Set.of());
        MailboxInfo child = store().create(ALICE, "Old/Child", Set.of());
        byte[] first = message("first");
        byte[] second = message("second");
        Mailbox oldBox = open(ALICE, "Old");
        MessageMeta m1 = append(oldBox, first, Flags.of(Flag.SEEN));
        MessageMeta m2 = append(oldBox, second, keywords("$Work"));
        MessageMeta c1 = append(open(ALICE, "Old/Child"), "in the child");
        long uidNext = oldBox.status().uidNext();

        store().rename(ALICE, "Old", "New");

        assertNotListed(ALICE, "Old", "renamed away");
        assertNotListed(ALICE, "Old/Child", "its child was renamed with it");
        expectFailure(Reason.NONEXISTENT, "open of the old name", () -> store().open(ALICE, "Old"));
        MailboxInfo renamed = requireListed(ALICE, "New");
        assertEquals(old.id(), renamed.id(), "RENAME keeps the mailbox id (RFC 8474)");
        assertEquals(old.uidValidity(), renamed.uidValidity(), "RENAME keeps UIDVALIDITY");
        MailboxInfo renamedChild = requireListed(ALICE, "New/Child");
        assertEquals(child.id(), renamedChild.id(), "the child keeps its id");
        assertEquals(child.uidValidity(), renamedChild.uidValidity(), "the child keeps its UIDVALIDITY");

        Mailbox newBox = open(ALICE, "New");
        assertEquals(Seen.of(List.of(m1, m2)), Seen.of(all(newBox)), "messages keep UIDs, flags and MODSEQ through RENAME");
        assertContent(first, newBox, m1.uid(), "after RENAME");
        assertContent(second, newBox, m2.uid(), "after RENAME");
        assertEquals(uidNext, newBox.status().uidNext(), "RENAME keeps UIDNEXT");
        assertEquals(List.of(c1.uid()), uids(open(ALICE, "New/Child")), "the child keeps its message");
    }

    @Test
    void renameCreatesMissingParents() throws Exception {
        MailboxInfo old = store().create(ALICE, "Old", Set.of());
        store().rename(ALICE, "Old", "Attic/2024/Old");
        assertEquals(old.id(), requireListed(ALICE, "Attic/2024/Old").id(), "renamed into a new hierarchy");
        requireListed(ALICE, "Attic");
        requireListed(ALICE, "Attic/2024");
        assertNotListed(ALICE, "Old", "renamed away");
    }

    @Test
    void renameOntoExistingNameFails() throws Exception {
        MailboxInfo a = store().create(ALICE, "A", Set.of());
        MailboxInfo b = store().create(ALICE, "B", Set.of());
        MessageMeta inA = append(open(ALICE, "A"), "stays in A");
        expectFailure(Reason.ALREADY_EXISTS, "rename('A', 'B')", () -> store().rename(ALICE, "A", "B"));
        expectFailure(Reason.ALREADY_EXISTS, "rename('A', 'INBOX')", () -> store().rename(ALICE, "A", "INBOX"));
        assertEquals(a.id(), requireListed(ALICE, "A").id(), "A unchanged after the failed rename");
        assertEquals(b.id(), requireListed(ALICE, "B").id(), "B unchanged after the failed rename");
        assertEquals(List.of(inA.uid()), uids(open(ALICE, "A")), "A keeps its message");
        assertEquals(0, open(ALICE, "B").status().messages(), "B stays empty");
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesItEmpty() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MailboxInfo inboxBefore = inbox.info();
        List<byte[]> bodies = List.of(message("one"), message("two"), message("three"));
        List<Flags> flags = List.of(Flags.of(Flag.SEEN), keywords("$Forwarded"), Flags.of(Flag.FLAGGED, Flag.ANSWERED));
        List<MessageMeta> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(append(inbox, bodies.get(i), flags.get(i)));
        }
        long highestUid = before.get(2).uid();
        long modSeqBefore = inbox.status().highestModSeq();

        store().rename(ALICE, "INBOX", "Old Inbox");

        MailboxInfo moved = requireListed(ALICE, "Old Inbox");
        MailboxInfo inboxAfter = requireListed(ALICE, MailStore.INBOX);
        assertEquals(inboxBefore.id(), inboxAfter.id(), "INBOX itself is not renamed: it keeps its id");
        assertNotEquals(inboxBefore.id(), moved.id(), "the mailbox made by renaming INBOX is a new mailbox");

        Mailbox target = open(ALICE, "Old Inbox");
        List<MessageMeta> after = all(target);
        assertEquals(3, after.size(), "the three messages of INBOX are in the new mailbox: " + after);
        for (int i = 0; i < 3; i++) {
            assertEquals(flags.get(i), after.get(i).flags(), "flags of message " + (i + 1) + " moved with it");
            assertContent(bodies.get(i), target, after.get(i).uid(), "message " + (i + 1) + " after RENAME INBOX");
        }

        Mailbox emptied = open(ALICE, MailStore.INBOX);
        assertEquals(0, emptied.status().messages(), "INBOX is empty after RENAME INBOX");
        assertEquals(0, emptied.uids().length, "INBOX lists no UIDs after RENAME INBOX");
        if (inboxAfter.uidValidity() == inboxBefore.uidValidity()) {
            assertEquals(uidsOf(before), emptied.expungedSince(modSeqBefore),
                    "INBOX kept its UIDVALIDITY, so the moved UIDs must show as expunged (VANISHED)");
            MessageMeta fresh = append(emptied, "new mail");
            assertTrue(fresh.uid() > highestUid, "INBOX kept its UIDVALIDITY, so a new message must not reuse"
                    + " a moved UID: got " + fresh.uid() + ", highest before " + highestUid);
        }
    }

    @Test
    void deleteRemovesMessagesButLeavesChildren() throws Exception {
        store().create(ALICE, "Parent/Child", Set.of());
        append(open(ALICE, "Parent"), "in the parent");
        MessageMeta inChild = append(open(ALICE, "Parent/Child"), "in the child");
        MailboxInfo child = requireListed(ALICE, "Parent/Child");

        store().delete(ALICE, "Parent");

        assertNotListed(ALICE, "Parent", "deleted");
        expectFailure(Reason.NONEXISTENT, "open of a deleted mailbox", () -> store().open(ALICE, "Parent"));
        assertEquals(child.id(), requireListed(ALICE, "Parent/Child").id(), "DELETE leaves children");
        assertEquals(List.of(inChild.uid()), uids(open(ALICE, "Parent/Child")), "the child keeps its message");
        MailboxInfo again = store().create(ALICE, "Parent", Set.of());
        assertEquals(0, open(ALICE, again.name()).status().messages(),
                "a mailbox created under a deleted name starts empty");
    }

    @Test
    void recreatedNameGetsNewUidValidity() throws Exception {
        MailboxInfo first = store().create(ALICE, "Scratch", Set.of());
        append(open(ALICE, "Scratch"), "first incarnation");
        store().delete(ALICE, "Scratch");
        MailboxInfo second = store().create(ALICE, "Scratch", Set.of());
        assertNotEquals(first.uidValidity(), second.uidValidity(),
                "a name deleted and created again gets a different UIDVALIDITY (RFC 9051 section 2.3.1.1)");
        assertNotEquals(first.id(), second.id(), "a name deleted and created again is a new mailbox id");

        store().rename(ALICE, "Scratch", "Kept");
        MailboxInfo third = store().create(ALICE, "Scratch", Set.of());
        MailboxInfo kept = requireListed(ALICE, "Kept");
        assertNotEquals(kept.uidValidity(), third.uidValidity(),
                "a name renamed away and created again gets a different UIDVALIDITY (RFC 9051 section 6.3.6)");
        assertNotEquals(kept.id(), third.id(), "a name renamed away and created again is a new mailbox id");
    }

    @Test
    void subscriptionsFollowNames() throws Exception {
        store().create(ALICE, "Work", Set.of());
        store().subscribe(ALICE, "Work", true);
        assertTrue(requireListed(ALICE, "Work").subscribed(), "subscribed after SUBSCRIBE");
        store().subscribe(ALICE, "Work", false);
        assertFalse(requireListed(ALICE, "Work").subscribed(), "not subscribed after UNSUBSCRIBE");

        store().subscribe(ALICE, "Later", true);
        assertNotListed(ALICE, "Later", "subscribing to a name does not create the mailbox");
        store().create(ALICE, "Later", Set.of());
        assertTrue(requireListed(ALICE, "Later").subscribed(),
                "a name subscribed before its mailbox existed shows as subscribed once created");

        store().subscribe(ALICE, "Never", false);
        assertNotListed(ALICE, "Never", "unsubscribing a missing name creates nothing");

        store().subscribe(ALICE, "Gone", true);
        store().create(ALICE, "Gone", Set.of());
        store().delete(ALICE, "Gone");
        store().create(ALICE, "Gone", Set.of());
        assertTrue(requireListed(ALICE, "Gone").subscribed(),
                "DELETE does not remove the name from the subscriptions (RFC 9051 section 6.3.7)");
    }
}
