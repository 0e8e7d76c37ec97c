package org.postbus.pop3.internal.command;

import java.util.Optional;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;

/** TOP msg n (RFC 1939 7): the header, the empty line and the first {@code n} lines of the body. */
final class TopCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        String[] words = Arguments.words(argument);
        if (words.length != 2) {
            session.refuse(Reply.err("Syntax: TOP message lines"));
            return;
        }
        Optional<Long> lines = Arguments.number(words[1]);
        if (lines.isEmpty()) {
            session.refuse(Reply.err("Invalid number of lines: " + Arguments.shorten(words[1])));
            return;
        }
        int number = Arguments.message(session, words[0]);
        if (number > 0) {
            Contents.send(session, number, lines.get(), Reply.ok("Top of message follows"));
        }
    }
}
