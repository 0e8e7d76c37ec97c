package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException.Reason;
import org.postbus.api.store.UidRange;

/**
 * COPY (with UIDPLUS COPYUID, RFC 4315) and MOVE (RFC 6851).
 *
 * <p>Semantics settled here: the returned map holds exactly the source UIDs that existed, and
 * its new UIDs ascend in the order of the source UIDs; a copy keeps flags (all of them,
 * {@code \Deleted} too), keywords, internal date, size, EMAILID and THREADID; UIDs in the ranges
 * that name no message are skipped, not an error. A failed COPY or MOVE changes neither mailbox.
 */
abstract class CopyMoveContract extends ContractSupport {

    @Test
    void copyMapsUidsAndKeepsContentAndFlags() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        store().create(ALICE, "Saved", Set.of());
        Mailbox saved = open(ALICE, "Saved");
        MessageMeta already = append(saved, "already there");

        List<byte[]> bodies = List.of(message("one"), message("two"), message("three"), message("four"));
        List<Flags> flags = List.of(Flags.of(Flag.SEEN), flags(Set.of(Flag.FLAGGED), "$Work"), Flags.NONE,
                flags(Set.of(Flag.DELETED, Flag.ANSWERED), "$Forwarded"));
        List<MessageMeta> source = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            source.add(append(inbox, bodies.get(i), flags.get(i)));
        }
        List<MessageMeta> sourceBefore = all(inbox);

        long first = source.get(0).uid();
        long last = source.get(3).uid();
        Map<Long, Long> map = inbox.copy(List.of(UidRange.of(first), new UidRange(source.get(2).uid(), last + 50)),
                "Saved");

        assertEquals(List.of(first, source.get(2).uid(), last), map.keySet().stream().sorted().toList(),
                "COPYUID names each source UID that exists, and no other");
        List<Long> newUids = map.keySet().stream().sorted().map(map::get).toList();
        assertStrictlyAscending(newUids, "new UIDs in the order of the source UIDs (COPYUID)");
        assertTrue(newUids.get(0) > already.uid(), "copies get UIDs above the target's existing ones");
        assertEquals(List.of(already.uid(), newUids.get(0), newUids.get(1), newUids.get(2)), uids(saved),
                "target lists its own message and the three copies");

        for (int i : new int[] {0, 2, 3}) {
            MessageMeta original = source.get(i);
            MessageMeta copy = meta(saved, map.get(original.uid()));
            assertEquals(original.flags(), copy.flags(), "copy of message " + (i + 1) + " keeps flags and keywords");
            assertEquals(original.internalDate(), copy.internalDate(), "copy keeps the internal date");
            assertEquals(original.size(), copy.size(), "copy keeps the size");
            assertEquals(original.emailId(), copy.emailId(), "a copy shares the EMAILID (RFC 8474)");
            assertEquals(original.threadId(), copy.threadId(), "a copy shares the THREADID (RFC 8474)");
            assertContent(bodies.get(i), saved, copy.uid(), "copy of message " + (i + 1));
        }
        assertEquals(Seen.of(sourceBefore), Seen.of(all(inbox)), "COPY leaves the source as it was");
        assertTrue(saved.status().uidNext() > newUids.get(2), "target UIDNEXT above the copies");
        assertCountersMatchMessages(saved, "in the target after COPY");
    }

    @Test
    void moveTakesMessagesOutOfTheSource() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        Mailbox archive = open(ALICE, "Archive");
        byte[] keepBytes = message("keep");
        byte[] moveOne = message("move one");
        byte[] moveTwo = message("move two");
        MessageMeta keep = append(inbox, keepBytes, Flags.NONE);
        MessageMeta one = append(inbox, moveOne, flags(Set.of(Flag.SEEN), "$Receipt"));
        MessageMeta two = append(inbox, moveTwo, Flags.of(Flag.FLAGGED));
        long before = inbox.status().highestModSeq();

        Map<Long, Long> map = inbox.move(List.of(new UidRange(one.uid(), two.uid())), "Archive");

        assertEquals(Set.of(one.uid(), two.uid()), map.keySet(), "MOVE maps each moved UID");
        assertTrue(map.get(one.uid()) < map.get(two.uid()), "new UIDs in the order of the source UIDs: " + map);
        assertEquals(List.of(keep.uid()), uids(inbox), "moved messages are gone from the source");
        assertEquals(List.of(one.uid(), two.uid()), inbox.expungedSince(before),
                "the source reports the moved UIDs as expunged (VANISHED)");
        assertTrue(inbox.status().highestModSeq() > before, "MOVE raises the source's HIGHESTMODSEQ");
        assertCountersMatchMessages(inbox, "in the source after MOVE");

        MessageMeta movedOne = meta(archive, map.get(one.uid()));
        MessageMeta movedTwo = meta(archive, map.get(two.uid()));
        assertEquals(one.flags(), movedOne.flags(), "MOVE keeps flags and keywords");
        assertEquals(two.flags(), movedTwo.flags(), "MOVE keeps flags");
        assertEquals(one.emailId(), movedOne.emailId(), "MOVE keeps the EMAILID");
        assertEquals(one.internalDate(), movedOne.internalDate(), "MOVE keeps the internal date");
        assertContent(moveOne, archive, movedOne.uid(), "moved message one");
        assertContent(moveTwo, archive, movedTwo.uid(), "moved message two");
        assertContent(keepBytes, inbox, keep.uid(), "the message not moved");
        assertCountersMatchMessages(archive, "in the target after MOVE");
    }

    @Test
    void copyOrMoveToMissingMailboxIsNonexistent() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta m = append(inbox, "going nowhere", Flag.SEEN);
        List<MessageMeta> before = all(inbox);
        expectFailure(Reason.NONEXISTENT, "COPY to a missing mailbox",
                () -> inbox.copy(List.of(UidRange.ALL), "Nowhere"));
        expectFailure(Reason.NONEXISTENT, "MOVE to a missing mailbox",
                () -> inbox.move(List.of(UidRange.ALL), "Nowhere"));
        assertEquals(Seen.of(before), Seen.of(all(inbox)), "the source is unchanged after the failed COPY and MOVE");
        assertEquals(List.of(), inbox.expungedSince(0), "a failed MOVE expunges nothing");
        assertContent(message("going nowhere"), inbox, m.uid(), "message after the failed MOVE");
        assertNotListed(ALICE, "Nowhere", "COPY and MOVE do not create their target");
    }
}
