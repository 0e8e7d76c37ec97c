package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/** HELP (RFC 5321 4.1.1.8). */
final class HelpCommand implements Command {

    /** Answers from the session alone. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(Reply.of(214, "2.0.0",
                "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY STARTTLS AUTH"));
    }
}
