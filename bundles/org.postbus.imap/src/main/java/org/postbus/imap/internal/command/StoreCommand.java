package org.postbus.imap.internal.command;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;

/** STORE and UID STORE (RFC 9051 6.4.6), with UNCHANGEDSINCE (RFC 7162 3.1.3). */
final class StoreCommand implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        SequenceSet set = p.sequenceSet();
        p.sp();
        long unchangedSince = -1;
        if (p.accept('(')) {
            do {
                String mod = p.keyword();
                if (!mod.equals("UNCHANGEDSINCE")) {
                    throw new ParseException("Unknown STORE modifier " + mod);
                }
                p.sp();
                unchangedSince = p.number();
            } while (p.accept(' '));
            p.expect(')');
            p.sp();
            session.condstoreUsed();
        }
        String item = p.word();
        FlagUpdate.Mode mode;
        String base = item;
        boolean silent = false;
        if (base.endsWith(".SILENT")) {
            silent = true;
            base = base.substring(0, base.length() - 7);
        }
        switch (base) {
            case "FLAGS" -> mode = FlagUpdate.Mode.REPLACE;
            case "+FLAGS" -> mode = FlagUpdate.Mode.ADD;
            case "-FLAGS" -> mode = FlagUpdate.Mode.REMOVE;
            default -> throw new ParseException("Unknown STORE item " + item);
        }
        p.sp();
        List<String> names = p.flagList(true);
        p.end();
        long[] uids = MessageSet.uids(session, set, r.uid());
        Selected s = session.selected();
        if (s.readOnly()) {
            session.no(r.tag(), "[READ-ONLY] The mailbox is read-only");
            return;
        }
        List<MessageMeta> changed = uids.length == 0 ? List.of()
                : s.mailbox().updateFlags(MessageSet.ranges(uids), new FlagUpdate(mode, FlagNames.parse(names),
                        unchangedSince));
        Set<Long> applied = new HashSet<>();
        for (MessageMeta meta : changed) {
            applied.add(meta.uid());
            int seq = s.seq(meta.uid());
            if (seq == 0) {
                continue;
            }
            s.ownChange(meta.uid(), meta.modSeq());
            session.announceKeywords(s, meta.flags());
            if (silent && !session.condstore()) {
                continue;
            }
            StringBuilder line = new StringBuilder().append(seq).append(" FETCH (");
            List<String> parts = new ArrayList<>();
            if (!silent) {
                parts.add("FLAGS " + session.flags(meta.flags(), s, meta.uid()));
            }
            if (r.uid() || session.condstore()) {
                parts.add("UID " + meta.uid());
            }
            if (session.condstore()) {
                parts.add("MODSEQ (" + meta.modSeq() + ")");
            }
            session.untagged(line.append(String.join(" ", parts)).append(')').toString());
        }
        if (unchangedSince >= 0) {
            List<Long> modified = new ArrayList<>();
            for (long uid : uids) {
                if (!applied.contains(uid)) {
                    modified.add(r.uid() ? uid : (long) s.seq(uid));
                }
            }
            // Messages expunged meanwhile are absent too, but they cannot be "modified".
            List<Long> existing = new ArrayList<>();
            long[] now = s.mailbox().uids();
            for (long v : modified) {
                long uid = r.uid() ? v : s.uids()[(int) v - 1];
                if (java.util.Arrays.binarySearch(now, uid) >= 0) {
                    existing.add(v);
                }
            }
            if (!existing.isEmpty()) {
                existing.sort(null);
                session.ok(r.tag(), "[MODIFIED " + SequenceSet.format(existing) + "] Conditional STORE failed for some messages");
                return;
            }
        }
        session.ok(r.tag(), "STORE completed");
    }
}
