package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/** NOOP (RFC 5321 4.1.1.9): any argument is ignored. */
final class NoopCommand implements Command {

    /** Answers from the session alone. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(Reply.of(250, "2.0.0", "OK"));
    }
}
