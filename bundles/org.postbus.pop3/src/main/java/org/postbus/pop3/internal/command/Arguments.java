package org.postbus.pop3.internal.command;

import java.util.Optional;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;

/** Parses the arguments of the TRANSACTION commands: message numbers and line counts. */
final class Arguments {

    /** Longer than any message count or line count this server meets. */
    private static final int MAX_DIGITS = 18;

    private Arguments() {
    }

    /** The words of an argument, separated by spaces; none for a blank argument. */
    static String[] words(String argument) {
        String text = argument.strip();
        return text.isEmpty() ? new String[0] : text.split(" +");
    }

    /** A non-negative decimal number, or empty. */
    static Optional<Long> number(String word) {
        if (word.isEmpty() || word.length() > MAX_DIGITS) {
            return Optional.empty();
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(word));
    }

    /**
     * The message {@code word} names, refusing with {@code -ERR} (and returning 0) if it is not a
     * number, not in the maildrop, or (unless {@code deletedToo}) marked deleted.
     */
    static int message(Pop3Session session, String word) {
        Optional<Long> number = number(word);
        if (number.isEmpty()) {
            session.refuse(Reply.err("Invalid message number: " + shorten(word)));
            return 0;
        }
        long n = number.get();
        if (!session.maildrop().exists(n)) {
            int size = session.maildrop().size();
            session.refuse(Reply.err("No such message, only " + size + (size == 1 ? " message" : " messages")
                    + " in maildrop"));
            return 0;
        }
        if (session.maildrop().deleted((int) n)) {
            session.refuse(Reply.err("Message " + n + " already deleted"));
            return 0;
        }
        return (int) n;
    }

    /** Client text quoted in a response, cut short. */
    static String shorten(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
