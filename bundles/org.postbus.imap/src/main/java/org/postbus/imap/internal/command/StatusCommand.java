package org.postbus.imap.internal.command;

import java.util.ArrayList;
import java.util.List;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.Response;
import org.postbus.imap.internal.session.ImapSession;

/**
 * STATUS (RFC 9051 6.3.11) with SIZE (RFC 8438), HIGHESTMODSEQ (RFC 7162), APPENDLIMIT
 * (RFC 7889), MAILBOXID (RFC 8474) and, for IMAP4rev1 clients, RECENT.
 */
final class StatusCommand implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        String name = session.mailboxName(p.mailbox());
        p.sp();
        List<String> items = items(p);
        p.end();
        status(session, name, items);
        session.ok(r.tag(), "STATUS completed");
    }

    /** Reads a parenthesised list of status items. */
    static List<String> items(ImapParser p) throws ParseException {
        List<String> items = new ArrayList<>();
        p.expect('(');
        do {
            String item = p.keyword();
            switch (item) {
                case "MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "HIGHESTMODSEQ",
                        "APPENDLIMIT", "MAILBOXID", "RECENT" -> items.add(item);
                default -> throw new ParseException("Unknown STATUS item " + item);
            }
        } while (p.accept(' '));
        p.expect(')');
        return items;
    }

    /** Sends the STATUS response of one mailbox. */
    static void status(ImapSession session, String name, List<String> items) throws StoreException {
        MailboxStatus st;
        String id;
        long recent = 0;
        try (Mailbox box = session.store().open(session.user(), name)) {
            st = box.status();
            id = box.info().id();
            if (items.contains("RECENT")) {
                long mark = session.recentMark(id);
                for (long uid : box.uids()) {
                    if (uid >= mark) {
                        recent++;
                    }
                }
            }
        }
        if (items.contains("HIGHESTMODSEQ")) {
            session.condstoreUsed();
        }
        Response out = new Response(session.utf8()).raw("* STATUS ");
        out.astring(session.clientName(name)).raw(" (");
        boolean first = true;
        for (String item : items) {
            if (!first) {
                out.ch(' ');
            }
            first = false;
            out.raw(item).ch(' ');
            switch (item) {
                case "MESSAGES" -> out.num(st.messages());
                case "UIDNEXT" -> out.num(st.uidNext());
                case "UIDVALIDITY" -> out.num(st.uidValidity());
                case "UNSEEN" -> out.num(st.unseen());
                case "DELETED" -> out.num(st.deleted());
                case "SIZE" -> out.num(st.size());
                case "HIGHESTMODSEQ" -> out.num(st.highestModSeq());
                case "APPENDLIMIT" -> out.num(session.settings().maxLiteralSize());
                case "MAILBOXID" -> out.raw("(" + id + ")");
                case "RECENT" -> out.num(recent);
                default -> throw new IllegalStateException(item);
            }
        }
        session.send(out.raw(")").crlf());
    }
}
