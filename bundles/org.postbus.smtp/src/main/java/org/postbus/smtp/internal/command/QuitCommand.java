package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/** QUIT (RFC 5321 4.1.1.10): says goodbye and closes; an unfinished transaction is dropped. */
final class QuitCommand implements Command {

    /** Answers and closes; a message in a spool file keeps the session on a worker. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: QUIT"));
            return;
        }
        session.reply(Reply.of(221, "2.0.0", session.settings().hostname() + " closing connection"));
        session.close();
    }
}
