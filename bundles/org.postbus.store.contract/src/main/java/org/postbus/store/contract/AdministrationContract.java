package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.UidRange;

/**
 * What export, migration and administration read: the subscriptions, the users, and the
 * consistency check.
 *
 * <p>Semantics settled here:
 * <ul>
 * <li>{@code subscriptions()} lists each subscribed name once, sorted by {@link String#compareTo},
 *     whether or not a mailbox of that name exists, and agrees with {@code subscribed()} of the
 *     listed mailboxes. Which names a new user starts subscribed to is left open.
 * <li>{@code users()} lists every user any call has given a store (listing, opening, delivery),
 *     once each, sorted by the address as text; a new store has none.
 * <li>{@code check()} of a store used only through the API finds nothing, and with
 *     {@code repair} set changes nothing and reports nothing repaired. Its report names the user
 *     and counts the user's mailboxes and messages.
 * </ul>
 */
abstract class AdministrationContract extends ContractSupport {

    @Test
    void subscriptionsListSubscribedNamesIncludingMissingOnes() throws Exception {
        store().create(ALICE, "Work/Reports", Set.of());
        store().subscribe(ALICE, "Work/Reports", true);
        store().subscribe(ALICE, "Work", true);
        store().subscribe(ALICE, "Zeta/Missing", true);
        store().subscribe(ALICE, "Also missing", true);
        store().subscribe(ALICE, "Work", true);

        List<String> subscribed = store().subscriptions(ALICE);
        assertTrue(subscribed.containsAll(List.of("Work", "Work/Reports", "Zeta/Missing", "Also missing")),
                "every name subscribed to, existing or not: " + subscribed);
        assertEquals(List.copyOf(new TreeSet<>(subscribed)), subscribed, "subscriptions sorted by name, each once");
        Set<String> listedAsSubscribed = new HashSet<>();
        for (MailboxInfo info : store().mailboxes(ALICE)) {
            assertEquals(subscribed.contains(info.name()), info.subscribed(),
                    "subscriptions() and mailboxes() agree on '" + info.name() + "'");
            if (info.subscribed()) {
                listedAsSubscribed.add(info.name());
            }
        }
        Set<String> missing = new HashSet<>(subscribed);
        missing.removeAll(listedAsSubscribed);
        assertEquals(Set.of("Zeta/Missing", "Also missing"), missing,
                "the subscribed names without a mailbox are listed too (LSUB shows them)");

        store().subscribe(ALICE, "Also missing", false);
        store().delete(ALICE, "Work/Reports");
        List<String> after = store().subscriptions(ALICE);
        assertFalse(after.contains("Also missing"), "an unsubscribed name is no longer listed: " + after);
        assertTrue(after.contains("Work/Reports"), "a deleted mailbox stays subscribed (RFC 9051 section 6.3.7): "
                + after);
        assertEquals(List.of(), store().subscriptions(BOB).stream().filter(n -> n.startsWith("Work")).toList(),
                "another user's subscriptions are separate");

        fixture().reopen();
        assertEquals(after, store().subscriptions(ALICE), "subscriptions after a restart");
    }

    @Test
    void usersListsEveryUserWithAStoreSorted() throws Exception {
        assertEquals(List.of(), store().users(), "a new store has no user");
        store().mailboxes(CAROL);
        open(ALICE, MailStore.INBOX);
        store().deliver(Map.of(BOB, MailStore.INBOX), request(message("to bob"), Flags.NONE));
        store().mailboxes(ALICE);

        List<MailAddress> expected = List.of(ALICE, BOB, CAROL);
        assertEquals(expected, store().users(), "users sorted by address: listed, opened, delivered to");
        assertEquals(expected.stream().map(MailAddress::toString).toList(),
                store().users().stream().map(MailAddress::toString).toList(), "users as text");

        fixture().reopen();
        assertEquals(expected, store().users(), "users after a restart");
    }

    @Test
    void checkOfAHealthyStoreIsClean() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        long a = append(inbox, "a", Flag.SEEN).uid();
        long b = append(inbox, message("b", 2000), keywords("$Work")).uid();
        long c = append(inbox, "c").uid();
        long d = append(inbox, "d", Flag.FLAGGED).uid();
        update(inbox, Mode.ADD, Flags.of(Flag.ANSWERED), a, b);
        store().create(ALICE, "Work", Set.of());
        inbox.copy(List.of(UidRange.of(a), UidRange.of(b)), "Work");
        inbox.move(List.of(UidRange.of(c)), "Archive");
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), d);
        inbox.expunge(null);
        store().deliver(Map.of(ALICE, MailStore.INBOX, BOB, MailStore.INBOX), request(message("shared"), Flags.NONE));
        store().importMailbox(ALICE, "Old", 4242, 100, ImportContract.imported(ImportContract.sample()));
        store().rename(ALICE, "Work", "Projects");
        store().create(ALICE, "Scratch", Set.of());
        append(open(ALICE, "Scratch"), "scratch");
        store().delete(ALICE, "Scratch");

        Map<String, MailboxStatus> before = statuses(ALICE);
        long messages = before.values().stream().mapToLong(MailboxStatus::messages).sum();

        CheckReport report = store().check(ALICE, false);
        assertEquals(List.of(), report.problems(), "a check of a healthy store finds nothing");
        assertTrue(report.clean(), "clean() of a report without problems");
        assertFalse(report.repaired(), "a check without repair repairs nothing");
        assertEquals(ALICE.toString(), report.user(), "the report names the user");
        assertEquals(before.size(), report.mailboxes(), "the report counts the user's mailboxes");
        assertEquals(messages, report.messages(), "the report counts the user's messages");

        CheckReport repair = store().check(ALICE, true);
        assertEquals(List.of(), repair.problems(), "a repair of a healthy store finds nothing");
        assertFalse(repair.repaired(), "a repair of a healthy store repairs nothing");
        assertEquals(before, statuses(ALICE), "a repair of a healthy store changes nothing");
        assertEquals(List.of(), store().check(BOB, false).problems(), "a check of another user sharing content");

        fixture().crashAndReopen();
        assertEquals(List.of(), store().check(ALICE, false).problems(), "a check after a crash finds nothing");
        assertEquals(List.of(), store().check(BOB, false).problems(), "nor for the other user");
    }

    private Map<String, MailboxStatus> statuses(MailAddress user) throws Exception {
        Map<String, MailboxStatus> result = new LinkedHashMap<>();
        for (MailboxInfo info : store().mailboxes(user)) {
            result.put(info.name(), open(user, info.name()).status());
        }
        return result;
    }
}
