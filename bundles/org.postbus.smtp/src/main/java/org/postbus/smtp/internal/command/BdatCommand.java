package org.postbus.smtp.internal.command;

import java.util.Locale;
import java.util.Optional;
import org.postbus.smtp.internal.codec.ByteSink;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.message.MessageBuilder;
import org.postbus.smtp.internal.session.SmtpSession;
import org.postbus.smtp.internal.session.Transaction;

/**
 * BDAT (RFC 3030 2): a chunk of exactly the announced size, read even when the command is
 * refused, since the client sends it without waiting. Each chunk is answered after it arrived;
 * the LAST one with the delivery's reply.
 */
final class BdatCommand implements Command {

    /** Starts reading the chunk; its end, which may deliver, runs on a worker. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        String[] words = argument.strip().split(" +");
        long size = size(words[0]);
        boolean last = words.length == 2 && words[1].toUpperCase(Locale.ROOT).equals("LAST");
        if (size < 0 || words.length > 2 || (words.length == 2 && !last)) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: BDAT size [LAST]"));
            return;
        }
        Optional<Refusal> refusal = MessageStart.refusal(session);
        if (refusal.isPresent()) {
            session.expectChunk(size, ByteSink.DISCARD, () -> session.refuse(refusal.get().reply()));
            return;
        }
        Transaction transaction = session.transaction().orElseThrow();
        MessageBuilder message = transaction.message().orElseGet(() -> MessageStart.begin(session, transaction, true));
        session.expectChunk(size, message, () -> chunkEnd(session, transaction, message, size, last));
    }

    private static void chunkEnd(SmtpSession session, Transaction transaction, MessageBuilder message,
            long size, boolean last) {
        if (message.tooBig()) {
            session.resetTransaction();
            session.refuse(Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size"));
        } else if (last) {
            Deliverer.finish(session, transaction, message);
        } else {
            session.reply(Reply.of(250, "2.0.0", size + " octets received"));
        }
    }

    /** The chunk size, or -1 if it is not a number of at most 18 digits. */
    private static long size(String word) {
        if (word.isEmpty() || word.length() > 18 || !word.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(word);
    }
}
