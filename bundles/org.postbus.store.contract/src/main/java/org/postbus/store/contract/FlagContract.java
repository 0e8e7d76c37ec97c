package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;

/**
 * Flag changes, status counters and MODSEQ (RFC 7162 CONDSTORE).
 *
 * <p>Semantics settled here: every change (append, flag change, expunge) gives the messages it
 * touches a MODSEQ above the mailbox's HIGHESTMODSEQ before it; the messages changed by one
 * {@code updateFlags} call may share a MODSEQ; HIGHESTMODSEQ is the largest MODSEQ given so far,
 * and an expunge raises it. A message whose MODSEQ equals {@code unchangedSince} passes the
 * condition; {@code unchangedSince} 0 fails for every message. {@code changedSince} lists
 * appended messages too, and never expunged ones. An update returns every message it applied to
 * (all those named, less those that failed {@code unchangedSince}), whether or not their flags
 * changed; a message whose flags stay the same keeps its MODSEQ, and an update that changes no
 * message leaves HIGHESTMODSEQ as it was. UIDs without a message are skipped.
 */
abstract class FlagContract extends ContractSupport {

    @Test
    void addRemoveAndReplaceSystemFlagsAndKeywords() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta m = append(inbox, message("flags"), flags(Set.of(Flag.DRAFT), "$Label1"));
        MessageMeta other = append(inbox, "bystander");
        assertEquals(flags(Set.of(Flag.DRAFT), "$Label1"), m.flags(), "flags given at APPEND");

        assertFlags(inbox, m.uid(), update(inbox, Mode.ADD, flags(Set.of(Flag.SEEN, Flag.FLAGGED), "$Forwarded"), m.uid()),
                flags(Set.of(Flag.DRAFT, Flag.SEEN, Flag.FLAGGED), "$Label1", "$Forwarded"), "after ADD");
        assertFlags(inbox, m.uid(), update(inbox, Mode.REMOVE, flags(Set.of(Flag.FLAGGED, Flag.DRAFT), "$Label1"), m.uid()),
                flags(Set.of(Flag.SEEN), "$Forwarded"), "after REMOVE");
        assertFlags(inbox, m.uid(), update(inbox, Mode.REPLACE, flags(Set.of(Flag.ANSWERED), "Work"), m.uid()),
                flags(Set.of(Flag.ANSWERED), "Work"), "after REPLACE");
        assertFlags(inbox, m.uid(), update(inbox, Mode.REPLACE, Flags.NONE, m.uid()), Flags.NONE,
                "after REPLACE with no flags");
        for (Flag flag : Flag.values()) {
            assertFlags(inbox, m.uid(), update(inbox, Mode.ADD, Flags.of(flag), m.uid()), Flags.of(flag),
                    "after setting " + flag.imapName() + " alone");
            update(inbox, Mode.REMOVE, Flags.of(flag), m.uid());
        }
        assertEquals(Flags.NONE, meta(inbox, other.uid()).flags(), "a message not named is not changed");
    }

    @Test
    void keywordsListsEveryKeywordInUse() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        assertTrue(inbox.keywords().isEmpty(), "a new mailbox has no keywords: " + inbox.keywords());
        MessageMeta a = append(inbox, message("a"), flags(Set.of(Flag.SEEN), "$Label1"));
        MessageMeta b = append(inbox, "b");
        update(inbox, Mode.ADD, flags(Set.of(), "Work"), b.uid());
        update(inbox, Mode.REPLACE, flags(Set.of(), "$Label1", "Later"), a.uid());
        Set<String> found = inbox.keywords();
        for (String k : List.of("$Label1", "Work", "Later")) {
            assertTrue(found.contains(k), k + " in " + found);
        }
        assertTrue(found.contains("work"), "keywords compare ignoring case: " + found);
        assertFalse(found.stream().anyMatch(k -> k.startsWith("\\")), "no system flags: " + found);
        // Whatever else a store remembers, the keywords messages have now are always listed.
        Mailbox reopened = open(ALICE, MailStore.INBOX);
        assertTrue(reopened.keywords().containsAll(Set.of("$Label1", "Work", "Later")), reopened.keywords().toString());
    }

    @Test
    void statusCountersFollowFlags() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, message("a", 300), Flags.of(Flag.SEEN));
        MessageMeta b = append(inbox, message("b", 400), Flags.NONE);
        MessageMeta c = append(inbox, message("c", 500), Flags.NONE);
        MessageMeta d = append(inbox, message("d", 600), Flags.NONE);
        assertEquals(new Counters(4, 3, 0, 1800), Counters.of(inbox.status()),
                "(messages, unseen, deleted, size) after four appends, one \\Seen");

        update(inbox, Mode.ADD, Flags.of(Flag.SEEN), b.uid());
        assertEquals(new Counters(4, 2, 0, 1800), Counters.of(inbox.status()), "after \\Seen on b");
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), c.uid(), d.uid());
        assertEquals(new Counters(4, 2, 2, 1800), Counters.of(inbox.status()), "after \\Deleted on c and d");
        update(inbox, Mode.REMOVE, Flags.of(Flag.SEEN), a.uid());
        assertEquals(new Counters(4, 3, 2, 1800), Counters.of(inbox.status()), "after removing \\Seen from a");
        update(inbox, Mode.REPLACE, Flags.of(Flag.SEEN), d.uid());
        assertEquals(new Counters(4, 2, 1, 1800), Counters.of(inbox.status()), "after replacing d's flags by \\Seen");
        inbox.expunge(null);
        assertEquals(new Counters(3, 1, 0, 1300), Counters.of(inbox.status()), "after expunging c (a unseen; b, d seen)");
        assertCountersMatchMessages(inbox, "at the end");
    }

    @Test
    void modSeqRisesWithEveryChange() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        long highest = inbox.status().highestModSeq();
        assertTrue(highest >= 0, "HIGHESTMODSEQ is not negative: " + highest);

        MessageMeta a = append(inbox, "a");
        highest = checkChange(inbox, highest, List.of(a), "append of a");
        MessageMeta b = append(inbox, "b");
        highest = checkChange(inbox, highest, List.of(b), "append of b");
        MessageMeta c = append(inbox, "c");
        highest = checkChange(inbox, highest, List.of(c), "append of c");

        highest = checkChange(inbox, highest, update(inbox, Mode.ADD, Flags.of(Flag.SEEN), a.uid()), "\\Seen on a");
        long modSeqOfA = meta(inbox, a.uid()).modSeq();
        highest = checkChange(inbox, highest, update(inbox, Mode.ADD, keywords("$Work"), b.uid(), c.uid()),
                "$Work on b and c");
        highest = checkChange(inbox, highest, update(inbox, Mode.REPLACE, Flags.of(Flag.FLAGGED), b.uid()),
                "REPLACE on b");
        highest = checkChange(inbox, highest, update(inbox, Mode.REMOVE, keywords("$Work"), c.uid()),
                "removing $Work from c");
        assertEquals(modSeqOfA, meta(inbox, a.uid()).modSeq(), "a message not changed keeps its MODSEQ");

        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), c.uid());
        long beforeExpunge = inbox.status().highestModSeq();
        assertEquals(List.of(c.uid()), inbox.expunge(null), "expunge of c");
        assertTrue(inbox.status().highestModSeq() > beforeExpunge,
                "an expunge raises HIGHESTMODSEQ (RFC 7162 section 3.2.10), it stayed " + beforeExpunge);
    }

    @Test
    void unchangedSinceSkipsMessagesChangedAfterIt() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, "a");
        MessageMeta b = append(inbox, "b");
        MessageMeta c = append(inbox, "c");
        long seenByClient = inbox.status().highestModSeq();
        assertEquals(c.modSeq(), seenByClient, "HIGHESTMODSEQ is the MODSEQ of the last append");

        Mailbox otherSession = open(ALICE, MailStore.INBOX);
        MessageMeta bChanged = update(otherSession, Mode.ADD, Flags.of(Flag.SEEN), b.uid()).get(0);

        List<MessageMeta> changed = inbox.updateFlags(List.of(UidRange.ALL),
                new FlagUpdate(Mode.ADD, Flags.of(Flag.FLAGGED), seenByClient));
        assertEquals(List.of(a.uid(), c.uid()), uidsOf(changed),
                "UNCHANGEDSINCE changes a (older) and c (MODSEQ equal to it), not b (changed after it)");
        assertTrue(changed.stream().allMatch(m -> m.flags().has(Flag.FLAGGED)), "changed ones are \\Flagged: " + changed);
        MessageMeta bNow = meta(inbox, b.uid());
        assertFalse(bNow.flags().has(Flag.FLAGGED), "b failed UNCHANGEDSINCE and must not be \\Flagged");
        assertEquals(bChanged.modSeq(), bNow.modSeq(), "b failed UNCHANGEDSINCE and keeps its MODSEQ");
        assertEquals(Flags.of(Flag.SEEN), bNow.flags(), "b keeps the other session's change");

        long highest = inbox.status().highestModSeq();
        List<MessageMeta> none = inbox.updateFlags(List.of(UidRange.ALL),
                new FlagUpdate(Mode.ADD, Flags.of(Flag.DELETED), 0));
        assertEquals(List.of(), uidsOf(none), "UNCHANGEDSINCE 0 fails for every message (RFC 7162 section 3.1.3)");
        assertEquals(0, inbox.status().deleted(), "nothing became \\Deleted under UNCHANGEDSINCE 0");
        assertEquals(highest, inbox.status().highestModSeq(), "a STORE that changed nothing leaves HIGHESTMODSEQ");
    }

    @Test
    void anUpdateThatChangesNothingReturnsTheMessageWithItsModSeq() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, message("a"), flags(Set.of(Flag.SEEN), "$Work"));
        MessageMeta b = append(inbox, "b");
        long highest = inbox.status().highestModSeq();

        List<MessageMeta> result = update(inbox, Mode.ADD, Flags.of(Flag.SEEN), a.uid(), b.uid(), b.uid() + 1000);
        assertEquals(List.of(a.uid(), b.uid()), uidsOf(result),
                "both messages the update applied to are returned, changed or not; a UID without message is skipped");
        assertEquals(Seen.of(a), Seen.of(result.get(0)), "a already had \\Seen: returned as it was, MODSEQ kept");
        assertEquals(Seen.of(a), Seen.of(meta(inbox, a.uid())), "a is listed unchanged, MODSEQ kept");
        highest = checkChange(inbox, highest, List.of(result.get(1)), "\\Seen on b, which lacked it");

        for (Mode mode : Mode.values()) {
            Flags flags = mode == Mode.REMOVE ? Flags.of(Flag.DELETED) : meta(inbox, a.uid()).flags();
            List<MessageMeta> same = update(inbox, mode, flags, a.uid());
            assertEquals(List.of(Seen.of(meta(inbox, a.uid()))), Seen.of(same),
                    mode + " that leaves a's flags as they are returns a, MODSEQ kept");
            assertEquals(a.modSeq(), same.get(0).modSeq(), mode + " without effect keeps a's MODSEQ");
        }
        assertEquals(highest, inbox.status().highestModSeq(), "updates that change no flag leave HIGHESTMODSEQ");
        assertEquals(List.of(), uidsOf(changedSince(inbox, highest)), "and CHANGEDSINCE lists nothing new");

        List<MessageMeta> passed = inbox.updateFlags(ranges(a.uid(), b.uid()),
                new FlagUpdate(Mode.ADD, Flags.of(Flag.SEEN), highest));
        assertEquals(List.of(a.uid(), b.uid()), uidsOf(passed),
                "under UNCHANGEDSINCE, messages that pass and need no change are returned (so not MODIFIED)");
        assertEquals(highest, inbox.status().highestModSeq(), "and HIGHESTMODSEQ stays");
        assertEquals(List.of(a.uid()), uidsOf(inbox.updateFlags(ranges(a.uid(), b.uid()),
                new FlagUpdate(Mode.ADD, Flags.of(Flag.SEEN), a.modSeq()))),
                "b, changed after a's MODSEQ, fails UNCHANGEDSINCE and is absent, though the update would not "
                        + "change it");
    }

    @Test
    void changedSinceListsExactlyTheLaterChanges() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, "a");
        MessageMeta b = append(inbox, "b");
        append(inbox, "c");
        MessageMeta d = append(inbox, "d");
        long mark = inbox.status().highestModSeq();

        update(inbox, Mode.ADD, Flags.of(Flag.SEEN), b.uid());
        update(inbox, Mode.ADD, keywords("$Important"), d.uid());
        MessageMeta e = append(inbox, "e");

        List<MessageMeta> since = changedSince(inbox, mark);
        assertEquals(List.of(b.uid(), d.uid(), e.uid()), uidsOf(since),
                "CHANGEDSINCE lists the flag changes and the new message, in UID order");
        for (MessageMeta m : since) {
            assertEquals(Seen.of(meta(inbox, m.uid())), Seen.of(m), "CHANGEDSINCE gives the current metadata");
            assertTrue(m.modSeq() > mark, "listed by CHANGEDSINCE " + mark + " with MODSEQ " + m.modSeq());
        }
        assertEquals(List.of(), uidsOf(changedSince(inbox, inbox.status().highestModSeq())),
                "nothing changed after HIGHESTMODSEQ");
        assertEquals(uids(inbox), uidsOf(changedSince(inbox, 0)), "CHANGEDSINCE 0 lists every message");

        long beforeExpunge = inbox.status().highestModSeq();
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), a.uid());
        inbox.expunge(null);
        assertEquals(List.of(), uidsOf(changedSince(inbox, beforeExpunge)),
                "an expunged message is not listed by CHANGEDSINCE (it is VANISHED)");
    }

    /**
     * Checks one change: each message changed got a MODSEQ above the HIGHESTMODSEQ before, lists
     * with what the change returned, and HIGHESTMODSEQ is now the largest of them.
     */
    static long checkChange(Mailbox mailbox, long highestBefore, List<MessageMeta> changed, String what)
            throws Exception {
        assertFalse(changed.isEmpty(), what + ": the change returned no message");
        long max = 0;
        for (MessageMeta m : changed) {
            assertTrue(m.modSeq() > highestBefore, what + ": MODSEQ " + m.modSeq() + " of UID " + m.uid()
                    + " must exceed the HIGHESTMODSEQ before, " + highestBefore);
            assertEquals(Seen.of(m), Seen.of(meta(mailbox, m.uid())), what + ": UID " + m.uid()
                    + " lists as the change returned it (MODSEQ, flags)");
            max = Math.max(max, m.modSeq());
        }
        assertEquals(max, mailbox.status().highestModSeq(), what + ": HIGHESTMODSEQ is the MODSEQ of the change");
        return max;
    }

    private static void assertFlags(Mailbox mailbox, long uid, List<MessageMeta> returned, Flags expected, String when)
            throws Exception {
        assertEquals(List.of(uid), uidsOf(returned), when + ": the changed message is returned");
        assertEquals(expected, returned.get(0).flags(), when + ": flags returned");
        assertEquals(expected, meta(mailbox, uid).flags(), when + ": flags listed");
    }
}
