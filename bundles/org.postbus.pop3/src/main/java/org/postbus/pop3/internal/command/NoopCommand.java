package org.postbus.pop3.internal.command;

import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;

/** NOOP (RFC 1939 5). */
final class NoopCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.err("Syntax: NOOP"));
            return;
        }
        session.reply(Reply.ok(""));
    }
}
