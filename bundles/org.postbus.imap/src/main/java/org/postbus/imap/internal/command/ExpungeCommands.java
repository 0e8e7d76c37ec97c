package org.postbus.imap.internal.command;

import java.util.List;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;

/** CLOSE, UNSELECT (RFC 3691) and EXPUNGE, UID EXPUNGE (RFC 4315). */
final class ExpungeCommands implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        Selected s = session.selected();
        switch (r.name()) {
            case "CLOSE" -> {
                p.end();
                if (!s.readOnly()) {
                    try {
                        s.mailbox().expunge(null);
                    } catch (StoreException e) {
                        // CLOSE still closes; the messages stay flagged.
                    }
                }
                session.deselect();
                session.tagged(r.tag(), "OK CLOSE completed");
            }
            case "UNSELECT" -> {
                p.end();
                session.deselect();
                session.tagged(r.tag(), "OK UNSELECT completed");
            }
            case "EXPUNGE" -> {
                long[] uids = null;
                if (r.uid()) {
                    p.sp();
                    uids = MessageSet.uids(session, p.sequenceSet(), true);
                }
                p.end();
                if (s.readOnly()) {
                    session.no(r.tag(), "[READ-ONLY] The mailbox is read-only");
                    return;
                }
                if (uids != null && uids.length == 0) {
                    session.ok(r.tag(), "EXPUNGE completed");
                    return;
                }
                List<Long> expunged = s.mailbox().expunge(uids == null ? null : MessageSet.ranges(uids));
                if (!expunged.isEmpty()) {
                    s.touch();
                }
                if (session.qresync()) {
                    // RFC 7162 3.2.10: the client learns the MODSEQ its cache is now valid for.
                    session.ok(r.tag(), "[HIGHESTMODSEQ " + s.mailbox().status().highestModSeq()
                            + "] EXPUNGE completed");
                    return;
                }
                session.ok(r.tag(), "EXPUNGE completed");
            }
            default -> throw new IllegalStateException(r.name());
        }
    }
}
