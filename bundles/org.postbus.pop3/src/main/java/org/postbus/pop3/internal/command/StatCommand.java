package org.postbus.pop3.internal.command;

import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Maildrop;
import org.postbus.pop3.internal.session.Pop3Session;

/** STAT (RFC 1939 5): the number and total size of the messages not marked deleted. */
final class StatCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.err("Syntax: STAT"));
            return;
        }
        Maildrop maildrop = session.maildrop();
        session.reply(Reply.ok(maildrop.count() + " " + maildrop.octets()));
    }
}
