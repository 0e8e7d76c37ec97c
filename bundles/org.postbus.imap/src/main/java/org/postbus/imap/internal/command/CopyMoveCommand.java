package org.postbus.imap.internal.command;

import java.util.Map;
import java.util.TreeMap;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;

/** COPY and MOVE, by number or UID (RFC 9051 6.4.7, 6.4.8; RFC 6851), with COPYUID (RFC 4315). */
final class CopyMoveCommand implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        SequenceSet set = p.sequenceSet();
        p.sp();
        String target = session.mailboxName(p.mailbox());
        p.end();
        long[] uids = MessageSet.uids(session, set, r.uid());
        Selected s = session.selected();
        boolean move = r.name().equals("MOVE");
        if (move && s.readOnly()) {
            session.no(r.tag(), "[READ-ONLY] The mailbox is read-only");
            return;
        }
        long targetValidity;
        String targetId;
        try (Mailbox t = session.store().open(session.user(), target)) {
            targetValidity = t.info().uidValidity();
            targetId = t.info().id();
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.NONEXISTENT) {
                session.no(r.tag(), "[TRYCREATE] No such mailbox: create it first");
                return;
            }
            throw e;
        }
        if (uids.length == 0) {
            session.ok(r.tag(), r.name() + " completed; no messages");
            return;
        }
        Map<Long, Long> result;
        try {
            result = move ? s.mailbox().move(MessageSet.ranges(uids), target)
                    : s.mailbox().copy(MessageSet.ranges(uids), target);
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.NONEXISTENT) {
                session.no(r.tag(), "[TRYCREATE] No such mailbox: create it first");
                return;
            }
            throw e;
        }
        String copyUid = "";
        if (!result.isEmpty()) {
            session.messagesAdded(targetId, result.values().stream().mapToLong(Long::longValue).min().getAsLong());
            TreeMap<Long, Long> sorted = new TreeMap<>(result);
            StringBuilder src = new StringBuilder();
            StringBuilder dst = new StringBuilder();
            for (Map.Entry<Long, Long> e : sorted.entrySet()) {
                src.append(src.length() > 0 ? "," : "").append(e.getKey());
                dst.append(dst.length() > 0 ? "," : "").append(e.getValue());
            }
            copyUid = "[COPYUID " + targetValidity + " " + compact(src.toString()) + " " + compact(dst.toString())
                    + "] ";
        }
        if (move) {
            if (!copyUid.isEmpty()) {
                session.untagged("OK " + copyUid + "Moved");
            }
            s.touch();
            if (session.qresync()) {
                // Like EXPUNGE (RFC 7162 3.2.10): MOVE expunges, so the client learns the MODSEQ.
                session.ok(r.tag(), "[HIGHESTMODSEQ " + s.mailbox().status().highestModSeq() + "] MOVE completed");
                return;
            }
            session.ok(r.tag(), "MOVE completed");
        } else {
            if (s.info().name().equals(target)) {
                s.touch();
            }
            session.ok(r.tag(), copyUid + "COPY completed");
        }
    }

    /** Joins consecutive runs of a comma list ("1,2,3,7" to "1:3,7"), keeping the order. */
    static String compact(String list) {
        String[] parts = list.split(",");
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < parts.length) {
            long start = Long.parseLong(parts[i]);
            int j = i;
            while (j + 1 < parts.length && Long.parseLong(parts[j + 1]) == Long.parseLong(parts[j]) + 1) {
                j++;
            }
            out.append(out.length() > 0 ? "," : "").append(start);
            if (j > i) {
                out.append(':').append(parts[j]);
            }
            i = j + 1;
        }
        return out.toString();
    }
}
