package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException.Reason;
import org.postbus.api.store.UidRange;

/**
 * EXPUNGE, UID EXPUNGE (RFC 4315) and the expunged UIDs kept for QRESYNC VANISHED (RFC 7162).
 *
 * <p>Semantics settled here: {@code expungedSince(m)} lists the UIDs whose expunge happened at a
 * MODSEQ above {@code m}; {@code expungedSince(0)} lists every UID ever expunged from the mailbox
 * (the store keeps them all; the API has no way to say it forgot some).
 */
abstract class ExpungeContract extends ContractSupport {

    @Test
    void expungeRemovesOnlyDeletedMessages() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, "a");
        MessageMeta b = append(inbox, "b", Flag.DELETED);
        MessageMeta c = append(inbox, "c", Flag.SEEN);
        MessageMeta d = append(inbox, "d");
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), d.uid());

        assertEquals(List.of(b.uid(), d.uid()), inbox.expunge(null), "EXPUNGE returns the \\Deleted UIDs, ascending");
        assertEquals(List.of(a.uid(), c.uid()), uids(inbox), "messages without \\Deleted remain");
        assertEquals(List.of(), inbox.expunge(null), "a second EXPUNGE finds nothing");
        expectFailure(Reason.NONEXISTENT, "content of an expunged message",
                () -> inbox.content(b.uid()));
        assertCountersMatchMessages(inbox, "after EXPUNGE");
        assertEquals(new Counters(2, 1, 0, a.size() + c.size()), Counters.of(inbox.status()), "after EXPUNGE");
    }

    @Test
    void uidExpungeIsRestrictedToTheRanges() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, "a", Flag.DELETED);
        MessageMeta b = append(inbox, "b", Flag.DELETED);
        MessageMeta c = append(inbox, "c");
        MessageMeta d = append(inbox, "d", Flag.DELETED);

        assertEquals(List.of(b.uid()), inbox.expunge(List.of(new UidRange(b.uid(), c.uid()))),
                "UID EXPUNGE b:c removes only b (c is not \\Deleted)");
        assertEquals(List.of(a.uid(), c.uid(), d.uid()), uids(inbox), "a and d stay, \\Deleted but outside the range");
        assertEquals(List.of(d.uid()), inbox.expunge(List.of(UidRange.of(d.uid()), UidRange.of(d.uid() + 100))),
                "UID EXPUNGE of d and a UID never assigned");
        assertEquals(List.of(a.uid(), c.uid()), uids(inbox), "a stays");
        assertEquals(2, inbox.status().messages(), "status after UID EXPUNGE");
        assertEquals(1, inbox.status().deleted(), "a is still \\Deleted");
    }

    @Test
    void expungedSinceReportsExactlyTheLaterExpunges() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        long[] u = new long[6];
        for (int i = 0; i < 6; i++) {
            u[i] = append(inbox, "m" + i).uid();
        }
        long start = inbox.status().highestModSeq();
        assertEquals(List.of(), inbox.expungedSince(0), "nothing expunged yet");

        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), u[1]);
        inbox.expunge(null);
        long afterFirst = inbox.status().highestModSeq();
        assertTrue(afterFirst > start, "EXPUNGE raises HIGHESTMODSEQ");

        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), u[3], u[4]);
        inbox.expunge(List.of(UidRange.of(u[4])));
        long afterSecond = inbox.status().highestModSeq();
        inbox.expunge(List.of(UidRange.of(u[3])));

        assertEquals(List.of(u[1], u[3], u[4]), inbox.expungedSince(0), "every expunged UID, ascending");
        assertEquals(List.of(u[1], u[3], u[4]), inbox.expungedSince(start), "expunged after the appends");
        assertEquals(List.of(u[3], u[4]), inbox.expungedSince(afterFirst), "VANISHED after the first EXPUNGE");
        assertEquals(List.of(u[3]), inbox.expungedSince(afterSecond), "VANISHED after the second EXPUNGE");
        assertEquals(List.of(), inbox.expungedSince(inbox.status().highestModSeq()), "nothing after HIGHESTMODSEQ");
        assertEquals(List.of(u[0], u[2], u[5]), uids(inbox), "the others remain");
    }
}
