package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/** RSET (RFC 5321 4.1.1.5): ends the transaction, keeps the greeting and the login. */
final class RsetCommand implements Command {

    /** Releases a message held in memory; one in a spool file keeps the session on a worker. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: RSET"));
            return;
        }
        session.resetTransaction();
        session.reply(Reply.of(250, "2.0.0", "OK"));
    }
}
