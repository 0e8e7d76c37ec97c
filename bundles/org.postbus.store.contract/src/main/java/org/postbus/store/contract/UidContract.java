package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;

/**
 * UIDs, UIDNEXT and UID ranges (RFC 9051 section 2.3.1.1).
 *
 * <p>Semantics settled here: UIDNEXT changes only when messages are added (not by flag changes or
 * expunges), and a new message gets a UID of at least the UIDNEXT seen before it; a clean restart
 * leaves UIDNEXT and UIDVALIDITY as they were. {@code messages(range)} treats {@code last} as a
 * plain bound: a range wholly above the highest UID lists nothing (IMAP's "{@code n:*} always
 * includes the last message" is the protocol layer's business, since it passes
 * {@code Long.MAX_VALUE} for {@code *}).
 */
abstract class UidContract extends ContractSupport {

    @Test
    void uidsAscendAndAreNeverReused() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        List<Long> assigned = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MessageMeta meta = append(inbox, "message " + i);
            assertNzNumber(meta.uid(), "UID");
            assigned.add(meta.uid());
        }
        assertStrictlyAscending(assigned, "UIDs of successive appends");

        long highest = assigned.get(4);
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), highest);
        assertEquals(List.of(highest), inbox.expunge(null), "expunge of the highest UID");
        MessageMeta afterExpunge = append(inbox, "after expunge");
        assertTrue(afterExpunge.uid() > highest, "a UID is never reused, not even the expunged highest one: got "
                + afterExpunge.uid() + " after " + highest);

        inbox.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(Mode.ADD, Flags.of(Flag.DELETED)));
        inbox.expunge(null);
        assertEquals(0, inbox.uids().length, "all expunged");
        MessageMeta afterEmpty = append(inbox, "into the emptied mailbox");
        assertTrue(afterEmpty.uid() > afterExpunge.uid(), "an emptied mailbox does not start its UIDs again: got "
                + afterEmpty.uid() + " after " + afterExpunge.uid());
    }

    @Test
    void uidsAreNeverReusedAfterReopen() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        append(inbox, "one");
        MessageMeta last = append(inbox, "two");
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), last.uid());
        inbox.expunge(null);
        MailboxStatus before = inbox.status();

        fixture().reopen();

        Mailbox reopened = open(ALICE, MailStore.INBOX);
        MailboxStatus after = reopened.status();
        assertEquals(before.uidValidity(), after.uidValidity(), "UIDVALIDITY after a clean restart");
        assertEquals(before.uidNext(), after.uidNext(), "UIDNEXT after a clean restart");
        MessageMeta next = append(reopened, "three");
        assertTrue(next.uid() > last.uid(), "after a restart a new message must not reuse the expunged highest UID "
                + last.uid() + ", got " + next.uid());
    }

    @Test
    void uidNextLiesAboveEveryUidAndMovesOnlyWithNewMessages() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        long initial = inbox.status().uidNext();
        assertNzNumber(initial, "UIDNEXT of an empty mailbox");
        MessageMeta a = append(inbox, "a");
        assertTrue(a.uid() >= initial, "first UID " + a.uid() + " below the UIDNEXT announced before, " + initial);
        MessageMeta b = append(inbox, "b");
        long uidNext = inbox.status().uidNext();
        assertTrue(uidNext > b.uid(), "UIDNEXT " + uidNext + " must lie above every UID, highest is " + b.uid());

        update(inbox, Mode.ADD, Flags.of(Flag.SEEN, Flag.DELETED), b.uid());
        assertEquals(uidNext, inbox.status().uidNext(), "a flag change must not move UIDNEXT");
        inbox.expunge(null);
        assertEquals(uidNext, inbox.status().uidNext(), "an expunge must not move UIDNEXT");

        MessageMeta c = append(inbox, "c");
        assertTrue(c.uid() >= uidNext, "new UID " + c.uid() + " below the UIDNEXT announced before, " + uidNext);
        assertTrue(inbox.status().uidNext() > c.uid(), "UIDNEXT must move above the new message's UID " + c.uid());
    }

    @Test
    void uidsListTheMessagesInOrder() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        List<Long> appended = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            appended.add(append(inbox, "m" + i).uid());
        }
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), appended.get(1), appended.get(4));
        inbox.expunge(null);
        List<Long> remaining = List.of(appended.get(0), appended.get(2), appended.get(3), appended.get(5));

        assertEquals(remaining, uids(inbox), "uids() after expunging the 2nd and 5th message");
        assertEquals(remaining, uidsOf(all(inbox)), "messages(ALL) lists the same UIDs, ascending");
        assertEquals(remaining.size(), inbox.status().messages(), "status().messages() agrees with uids()");
    }

    @Test
    void messagesHonourUidRanges() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        long[] u = new long[6];
        for (int i = 0; i < 6; i++) {
            u[i] = append(inbox, "m" + i).uid();
        }
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), u[2]);
        inbox.expunge(null);

        assertEquals(List.of(u[1]), uidsOf(list(inbox, UidRange.of(u[1]))), "single UID");
        assertEquals(List.of(u[1], u[3]), uidsOf(list(inbox, new UidRange(u[1], u[3]))),
                "range over an expunged UID lists the ones that remain");
        assertEquals(List.of(), uidsOf(list(inbox, UidRange.of(u[2]))), "an expunged UID lists nothing");
        assertEquals(List.of(u[4], u[5]), uidsOf(list(inbox, new UidRange(u[4], Long.MAX_VALUE))), "n:*");
        assertEquals(List.of(u[4], u[5]), uidsOf(list(inbox, new UidRange(u[4], u[5] + 1000))),
                "a range running past the highest UID");
        assertEquals(List.of(), uidsOf(list(inbox, new UidRange(u[5] + 1, u[5] + 1000))),
                "a range wholly above the highest UID");
        assertEquals(List.of(u[0], u[1], u[3], u[4], u[5]), uidsOf(list(inbox, UidRange.ALL)), "UidRange.ALL");
        assertEquals(uidsOf(list(inbox, UidRange.ALL)), uids(inbox), "UidRange.ALL and uids() agree");
    }
}
