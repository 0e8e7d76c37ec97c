package org.postbus.imap.internal.command;

import java.util.List;
import java.util.stream.Stream;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.Response;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;

/**
 * SELECT and EXAMINE (RFC 9051 6.3.2, 6.3.3), with the CONDSTORE and QRESYNC parameters
 * (RFC 7162 3.1.8, 3.2.5).
 */
final class SelectCommand implements Command {


    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        String name = session.mailboxName(p.mailbox());
        boolean readOnly = r.name().equals("EXAMINE");
        long qUidValidity = -1;
        long qModSeq = 0;
        SequenceSet qKnown = null;
        SequenceSet qSeqs = null;
        SequenceSet qUids = null;
        boolean condstore = false;
        if (p.accept(' ')) {
            p.expect('(');
            do {
                String param = p.keyword();
                if (param.equals("CONDSTORE")) {
                    condstore = true;
                } else if (param.equals("QRESYNC")) {
                    if (!session.qresync()) {
                        throw new ParseException("QRESYNC parameter without ENABLE QRESYNC");
                    }
                    p.sp();
                    p.expect('(');
                    qUidValidity = p.nzNumber();
                    p.sp();
                    qModSeq = p.nzNumber();
                    if (p.accept(' ')) {
                        if (p.peek() != '(') {
                            qKnown = p.sequenceSet();
                            p.accept(' ');
                        }
                        if (p.accept('(')) {
                            qSeqs = p.sequenceSet();
                            p.sp();
                            qUids = p.sequenceSet();
                            p.expect(')');
                        }
                    }
                    p.expect(')');
                } else {
                    throw new ParseException("Unknown SELECT parameter " + param);
                }
            } while (p.accept(' '));
            p.expect(')');
        }
        p.end();
        boolean hadSelected = session.selected() != null;
        session.deselect();
        if (hadSelected) {
            session.untagged("OK [CLOSED] Previous mailbox closed");
        }
        if (condstore) {
            // Only now: enabled while the old mailbox was selected it would report its HIGHESTMODSEQ.
            session.condstoreUsed();
        }
        Mailbox box = session.store().open(session.user(), name);
        Selected s;
        MailboxStatus st;
        try {
            st = box.status();
            s = session.open(box, box.info(), readOnly, st);
        } catch (StoreException | RuntimeException e) {
            box.close();
            throw e;
        }
        session.select(s);
        session.untagged("FLAGS " + ImapSession.flagList(s, false));
        session.untagged("OK [PERMANENTFLAGS " + (readOnly ? "()" : ImapSession.flagList(s, true))
                + "] " + (readOnly ? "No permanent flags permitted" : "Flags permitted"));
        session.untagged(s.count() + " EXISTS");
        if (!session.rev2()) {
            session.untagged(s.recentCount() + " RECENT");
            if (st.unseen() > 0) {
                long firstUnseen = firstUnseen(box, s);
                if (firstUnseen > 0) {
                    session.untagged("OK [UNSEEN " + firstUnseen + "] First unseen message");
                }
            }
        }
        session.untagged("OK [UIDVALIDITY " + st.uidValidity() + "] UIDs valid");
        session.untagged("OK [UIDNEXT " + st.uidNext() + "] Predicted next UID");
        session.untagged("OK [HIGHESTMODSEQ " + st.highestModSeq() + "] Highest");
        session.untagged("OK [MAILBOXID (" + box.info().id() + ")] Mailbox identity");
        if (session.rev2()) {
            String attrs = String.join(" ", ListCommand.attributes(session, box.info()));
            Response list = new Response(true).raw("* LIST (" + attrs + ") \"/\" ");
            session.send(list.astring(session.clientName(box.info().name())).crlf());
        }
        if (qUidValidity == st.uidValidity()) {
            resync(session, s, qModSeq, qKnown, matchedUid(s, qSeqs, qUids));
        }
        session.tagged(r.tag(), "OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] " + r.name() + " completed");
    }

    private static long firstUnseen(Mailbox box, Selected s) throws StoreException {
        try (Stream<MessageMeta> all = box.messages(UidRange.ALL)) {
            return all.filter(m -> !m.flags().has(Flag.SEEN)).findFirst().map(m -> (long) s.seq(m.uid())).orElse(0L);
        }
    }

    /** The most pairs of message sequence match data worth comparing; longer data is ignored. */
    private static final int MAX_SEQ_MATCH = 100_000;

    /**
     * QRESYNC message sequence match data (RFC 7162 3.2.5.2): the highest UID that the client's
     * sequence number still maps to. Its number being unchanged means no message up to it was
     * expunged since the client's view, so VANISHED (EARLIER) need not name any UID up to it.
     *
     * @return that UID, or 0 when nothing matches or the data is unusable
     */
    static long matchedUid(Selected s, SequenceSet seqs, SequenceSet uids) {
        if (seqs == null || uids == null || seqs.saved() || uids.saved()) {
            return 0;
        }
        long[] numbers = expand(seqs);
        long[] known = expand(uids);
        if (numbers == null || known == null || numbers.length != known.length) {
            return 0;
        }
        long[] now = s.uids();
        long best = 0;
        for (int i = 0; i < numbers.length; i++) {
            long n = numbers[i];
            if (n >= 1 && n <= now.length && now[(int) n - 1] == known[i]) {
                best = Math.max(best, known[i]);
            }
        }
        return best;
    }

    /** The numbers of a set in the order written, ranges ascending; null if too many or with *. */
    private static long[] expand(SequenceSet set) {
        long total = 0;
        for (long[] r : set.ranges()) {
            if (r[0] == SequenceSet.STAR || r[1] == SequenceSet.STAR) {
                return null;
            }
            total += Math.abs(r[1] - r[0]) + 1;
            if (total > MAX_SEQ_MATCH) {
                return null;
            }
        }
        long[] out = new long[(int) total];
        int k = 0;
        for (long[] r : set.ranges()) {
            for (long v = Math.min(r[0], r[1]); v <= Math.max(r[0], r[1]); v++) {
                out[k++] = v;
            }
        }
        return out;
    }

    /** QRESYNC: what vanished and what changed since the client's MODSEQ. */
    private static void resync(ImapSession session, Selected s, long modSeq, SequenceSet known, long unchangedUpTo)
            throws StoreException {
        List<long[]> vanished = Vanished.since(s.mailbox(), modSeq, known == null ? null : Vanished.ranges(known));
        if (unchangedUpTo > 0) {
            vanished = Vanished.above(vanished, unchangedUpTo);
        }
        if (!vanished.isEmpty()) {
            session.untagged("VANISHED (EARLIER) " + Vanished.format(vanished));
        }
        long[] knownUids = known == null ? null : known.resolveUids(s.uids());
        try (Stream<MessageMeta> changed = s.mailbox().changedSince(modSeq)) {
            changed.forEach(meta -> {
                int seq = s.seq(meta.uid());
                if (seq == 0 || (knownUids != null && java.util.Arrays.binarySearch(knownUids, meta.uid()) < 0)) {
                    return;
                }
                session.announceKeywords(s, meta.flags());
                session.untagged(seq + " FETCH (UID " + meta.uid() + " FLAGS " + session.flags(meta.flags(), s,
                        meta.uid()) + " MODSEQ (" + meta.modSeq() + "))");
            });
        }
    }
}
