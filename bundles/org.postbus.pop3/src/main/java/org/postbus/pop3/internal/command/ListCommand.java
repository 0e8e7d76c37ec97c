package org.postbus.pop3.internal.command;

import java.util.AbstractList;
import java.util.List;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Maildrop;
import org.postbus.pop3.internal.session.Pop3Session;

/**
 * LIST [msg] (RFC 1939 5) and UIDL [msg] (RFC 1939 7): for one message, or for every message
 * not marked deleted, its size in octets or its unique-id.
 */
final class ListCommand implements Command {

    private final boolean uidl;

    ListCommand(boolean uidl) {
        this.uidl = uidl;
    }

    @Override
    public void execute(Pop3Session session, String argument) {
        String[] words = Arguments.words(argument);
        if (words.length > 1) {
            session.refuse(Reply.err(uidl ? "Syntax: UIDL [message]" : "Syntax: LIST [message]"));
            return;
        }
        Maildrop maildrop = session.maildrop();
        if (words.length == 1) {
            int number = Arguments.message(session, words[0]);
            if (number > 0) {
                session.reply(Reply.ok(number + " " + value(maildrop, number)));
            }
            return;
        }
        int count = maildrop.count();
        String first = uidl ? "Unique-id listing follows"
                : count + (count == 1 ? " message (" : " messages (") + maildrop.octets() + " octets)";
        session.multiline(Reply.ok(first), lines(maildrop));
    }

    private String value(Maildrop maildrop, int number) {
        return uidl ? maildrop.uniqueId(number) : Long.toString(maildrop.octets(number));
    }

    /** The lines, made as they are sent: a maildrop of a million messages needs no list of strings. */
    private List<String> lines(Maildrop maildrop) {
        int[] numbers = new int[maildrop.count()];
        int n = 0;
        for (int i = 1; i <= maildrop.size(); i++) {
            if (!maildrop.deleted(i)) {
                numbers[n++] = i;
            }
        }
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return numbers[index] + " " + value(maildrop, numbers[index]);
            }

            @Override
            public int size() {
                return numbers.length;
            }
        };
    }
}
