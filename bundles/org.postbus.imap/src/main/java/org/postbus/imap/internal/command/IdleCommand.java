package org.postbus.imap.internal.command;

import java.nio.charset.StandardCharsets;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;

/**
 * IDLE (RFC 2177, RFC 9051 6.3.13): changes to the selected mailbox are pushed as they happen
 * (the store's events wake the session) until the client sends DONE.
 */
final class IdleCommand implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException {
        r.args().end();
        session.continuation("idling");
        session.idling(true);
        if (session.selected() != null) {
            session.selected().touch();
        }
        session.sync(true);
        session.expectLine(line -> {
            session.idling(false);
            String text = new String(line, StandardCharsets.US_ASCII).strip();
            if (text.equalsIgnoreCase("DONE")) {
                session.ok(r.tag(), "IDLE terminated");
            } else {
                session.bad(r.tag(), "Expected DONE to end IDLE");
            }
        });
    }
}
