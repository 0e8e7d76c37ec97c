package org.postbus.pop3.internal.command;

import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;

/** DELE msg (RFC 1939 5): marks the message; it is removed at QUIT. */
final class DeleCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        String[] words = Arguments.words(argument);
        if (words.length != 1) {
            session.refuse(Reply.err("Syntax: DELE message"));
            return;
        }
        int number = Arguments.message(session, words[0]);
        if (number > 0) {
            session.maildrop().delete(number);
            session.reply(Reply.ok("Message " + number + " deleted"));
        }
    }
}
