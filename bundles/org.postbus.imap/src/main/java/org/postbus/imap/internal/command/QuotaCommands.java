package org.postbus.imap.internal.command;

import org.postbus.api.store.Mailbox;
import org.postbus.api.store.Quota;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.Response;
import org.postbus.imap.internal.session.ImapSession;

/**
 * GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208). Each user has one quota root, {@code ""}, with
 * the STORAGE resource when a limit is set; limits are set by the administrator, not by IMAP.
 */
final class QuotaCommands implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        switch (r.name()) {
            case "GETQUOTAROOT" -> {
                String name = session.mailboxName(p.mailbox());
                p.end();
                try (Mailbox box = session.store().open(session.user(), name)) {
                    box.info();
                }
                Quota quota = session.store().quota(session.user());
                Response out = new Response(session.utf8()).raw("* QUOTAROOT ").astring(session.clientName(name));
                if (quota.limitBytes() >= 0) {
                    out.raw(" \"\"");
                }
                session.send(out.crlf());
                if (quota.limitBytes() >= 0) {
                    session.untagged(quota(quota));
                }
                session.ok(r.tag(), "GETQUOTAROOT completed");
            }
            case "GETQUOTA" -> {
                String root = p.astring();
                p.end();
                Quota quota = session.store().quota(session.user());
                if (!root.isEmpty() || quota.limitBytes() < 0) {
                    session.no(r.tag(), "[NONEXISTENT] No such quota root");
                    return;
                }
                session.untagged(quota(quota));
                session.ok(r.tag(), "GETQUOTA completed");
            }
            case "SETQUOTA" -> {
                p.rest();
                session.no(r.tag(), "[NOPERM] Quotas are set by the administrator");
            }
            default -> throw new IllegalStateException(r.name());
        }
    }

    private static String quota(Quota quota) {
        return "QUOTA \"\" (STORAGE " + (quota.usedBytes() + 1023) / 1024 + " " + quota.limitBytes() / 1024 + ")";
    }
}
