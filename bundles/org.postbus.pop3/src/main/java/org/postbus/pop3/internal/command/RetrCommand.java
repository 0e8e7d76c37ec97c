package org.postbus.pop3.internal.command;

import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;

/** RETR msg (RFC 1939 5): the whole message, dot-stuffed. */
final class RetrCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        String[] words = Arguments.words(argument);
        if (words.length != 1) {
            session.refuse(Reply.err("Syntax: RETR message"));
            return;
        }
        int number = Arguments.message(session, words[0]);
        if (number > 0) {
            Contents.send(session, number, -1, Reply.ok(session.maildrop().octets(number) + " octets"));
        }
    }
}
