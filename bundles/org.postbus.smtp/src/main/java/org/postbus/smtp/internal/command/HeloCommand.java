package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/** HELO (RFC 5321 4.1.1.1): greets without extensions. */
final class HeloCommand implements Command {

    /** Answers from the session alone. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        String name = HelloName.of(argument);
        if (name.isEmpty()) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: HELO hostname"));
            return;
        }
        session.hello(name, false);
        session.reply(Reply.of(250, "", session.settings().hostname()));
    }
}
