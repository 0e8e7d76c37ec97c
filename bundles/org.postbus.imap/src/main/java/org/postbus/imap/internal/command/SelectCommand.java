package org.postbus.imap.internal.command;

import java.util.List;
import java.util.stream.Stream;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.SpecialUse;
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

    static final String FLAGS = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

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
        if (p.accept(' ')) {
            p.expect('(');
            do {
                String param = p.keyword();
                if (param.equals("CONDSTORE")) {
                    session.condstoreUsed();
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
        session.untagged("FLAGS " + FLAGS);
        session.untagged("OK [PERMANENTFLAGS " + (readOnly ? "()" : "(\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)")
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
            StringBuilder attrs = new StringBuilder();
            for (SpecialUse u : SpecialUse.values()) {
                if (box.info().specialUse().contains(u)) {
                    attrs.append(attrs.length() > 0 ? " " : "").append(u.imapName());
                }
            }
            Response list = new Response(true).raw("* LIST (" + attrs + ") \"/\" ");
            session.send(list.astring(session.clientName(box.info().name())).crlf());
        }
        if (qUidValidity == st.uidValidity()) {
            resync(session, s, qModSeq, qKnown, qSeqs, qUids);
        }
        session.tagged(r.tag(), "OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] " + r.name() + " completed");
    }

    private static long firstUnseen(Mailbox box, Selected s) throws StoreException {
        try (Stream<MessageMeta> all = box.messages(UidRange.ALL)) {
            return all.filter(m -> !m.flags().has(Flag.SEEN)).findFirst().map(m -> (long) s.seq(m.uid())).orElse(0L);
        }
    }

    /** QRESYNC: what vanished and what changed since the client's MODSEQ. */
    private static void resync(ImapSession session, Selected s, long modSeq, SequenceSet known, SequenceSet seqs,
            SequenceSet uids) throws StoreException {
        List<Long> vanished = s.mailbox().expungedSince(modSeq);
        if (known != null) {
            long[] all = vanished.stream().mapToLong(Long::longValue).toArray();
            vanished = java.util.Arrays.stream(known.resolveUids(all)).boxed().toList();
        }
        if (!vanished.isEmpty()) {
            session.untagged("VANISHED (EARLIER) " + SequenceSet.format(vanished));
        }
        long[] knownUids = known == null ? null : known.resolveUids(s.uids());
        try (Stream<MessageMeta> changed = s.mailbox().changedSince(modSeq)) {
            changed.forEach(meta -> {
                int seq = s.seq(meta.uid());
                if (seq == 0 || (knownUids != null && java.util.Arrays.binarySearch(knownUids, meta.uid()) < 0)) {
                    return;
                }
                session.untagged(seq + " FETCH (UID " + meta.uid() + " FLAGS " + session.flags(meta.flags(), s,
                        meta.uid()) + " MODSEQ (" + meta.modSeq() + "))");
            });
        }
    }
}
