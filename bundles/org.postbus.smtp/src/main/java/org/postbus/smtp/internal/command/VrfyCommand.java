package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/**
 * VRFY (RFC 5321 3.5.3): never tells whether a user exists, so it cannot be used to harvest
 * addresses; 252 says a message would be tried.
 */
final class VrfyCommand implements Command {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (argument.isBlank()) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: VRFY address"));
            return;
        }
        session.reply(Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
    }
}
