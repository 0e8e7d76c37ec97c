package org.postbus.pop3.internal.command;

import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;

/** USER name (RFC 1939 7): remembers the name for PASS. */
final class UserCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        String name = argument.strip();
        if (name.isEmpty() || name.indexOf(' ') >= 0) {
            session.refuse(Reply.err("Syntax: USER name"));
            return;
        }
        if (!session.authAllowed()) {
            session.refuse(Reply.err(Reply.AUTH, Login.PLAINTEXT_DISALLOWED));
            return;
        }
        session.pendingUser(name);
        session.reply(Reply.ok("Send PASS"));
    }
}
