package org.postbus.pop3.internal.command;

import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Maildrop;
import org.postbus.pop3.internal.session.Pop3Session;

/** RSET (RFC 1939 5): unmarks the messages marked deleted. */
final class RsetCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.err("Syntax: RSET"));
            return;
        }
        Maildrop maildrop = session.maildrop();
        maildrop.reset();
        int count = maildrop.count();
        session.reply(Reply.ok("Maildrop has " + count + (count == 1 ? " message (" : " messages (")
                + maildrop.octets() + " octets)"));
    }
}
