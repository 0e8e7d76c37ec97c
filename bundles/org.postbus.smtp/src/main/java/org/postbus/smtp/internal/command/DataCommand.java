package org.postbus.smtp.internal.command;

import java.util.Optional;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.message.MessageBuilder;
import org.postbus.smtp.internal.session.SmtpSession;
import org.postbus.smtp.internal.session.Transaction;

/**
 * DATA (RFC 5321 4.1.1.4): 354, then the message up to CRLF.CRLF, then the delivery's reply.
 * Without a delivery service the message is refused before it is sent (451).
 */
final class DataCommand implements Command {

    /** Starts the message in memory; its end, which delivers, runs on a worker. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: DATA"));
            return;
        }
        Optional<Refusal> refusal = MessageStart.refusal(session);
        if (refusal.isPresent()) {
            session.refuse(refusal.get().reply());
            return;
        }
        Transaction transaction = session.transaction().orElseThrow();
        if (transaction.chunked()) {
            session.refuse(Reply.of(503, "5.5.1", "DATA not allowed after BDAT"));
            return;
        }
        if (session.services().delivery().isEmpty()) {
            session.reply(Reply.of(451, "4.3.0", "Mail store unavailable, try again later"));
            session.resetTransaction();
            return;
        }
        MessageBuilder message = MessageStart.begin(session, transaction, false);
        session.reply(Reply.of(354, "", "End data with <CR><LF>.<CR><LF>"));
        session.expectData(message, () -> Deliverer.finish(session, transaction, message));
    }
}
