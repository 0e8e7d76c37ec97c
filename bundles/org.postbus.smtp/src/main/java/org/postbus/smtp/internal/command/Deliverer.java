package org.postbus.smtp.internal.command;

import java.io.IOException;
import java.util.Optional;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.directory.Account;
import org.postbus.api.store.MessageContent;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.message.MessageBuilder;
import org.postbus.smtp.internal.message.ReceivedTransaction;
import org.postbus.smtp.internal.session.SmtpSession;
import org.postbus.smtp.internal.session.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a transaction whose message has fully arrived (after DATA's final dot or BDAT LAST):
 * hands it to the delivery pipeline and answers with its reply. Runs on the session's worker
 * thread, where {@link DeliveryService#deliver} may block. The transaction ends either way and
 * its spool file is deleted.
 */
final class Deliverer {

    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
    private static final Reply LOCAL_ERROR = Reply.of(451, "4.3.0", "Local error in processing, try again later");

    private Deliverer() {
    }

    static void finish(SmtpSession session, Transaction transaction, MessageBuilder message) {
        try {
            Outcome outcome = deliver(session, transaction, message);
            Reply reply = outcome.reply();
            if (!reply.isError()) {
                session.messageAccepted();
            }
            // The delivery pipeline is done with the bytes: the spool file goes before the reply, so
            // that no acknowledged message leaves a temporary copy behind it (the close is idempotent).
            transaction.close();
            // The client waits for this reply alone: it goes out before the log line is written.
            session.replyNow(reply);
            outcome.result().ifPresent(result -> log(session, transaction, outcome.size(), result));
        } finally {
            session.resetTransaction();
        }
    }

    /**
     * What became of the message.
     *
     * @param reply the answer to the client
     * @param result the delivery pipeline's answer, if it gave one
     * @param size the message's size as delivered, trace field included
     */
    private record Outcome(Reply reply, Optional<DeliveryResult> result, long size) {

        static Outcome of(Reply reply) {
            return new Outcome(reply, Optional.empty(), 0);
        }
    }

    private static void log(SmtpSession session, Transaction transaction, long size, DeliveryResult result) {
        LOG.info("{}: {} from=<{}> nrcpt={} size={} client={} user={}: {} {} {}", session.settings().healthName(),
                transaction.id(), transaction.sender().map(Object::toString).orElse(""),
                transaction.recipientCount(), size, session.clientAddress().getHostAddress(),
                session.user().map(Account::username).orElse("-"), result.replyCode(), result.enhancedCode(),
                result.text());
    }

    private static Outcome deliver(SmtpSession session, Transaction transaction, MessageBuilder message) {
        String listener = session.settings().healthName();
        if (message.tooBig()) {
            return Outcome.of(Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size"));
        }
        Optional<DeliveryService> service = session.services().delivery();
        if (service.isEmpty()) {
            LOG.warn("{}: {} deferred: no delivery service", listener, transaction.id());
            return Outcome.of(Reply.of(451, "4.3.0", "Mail store unavailable, try again later"));
        }
        MessageContent content;
        try {
            content = message.finish();
        } catch (IOException e) {
            LOG.error("{}: {} cannot be spooled in {}: {}", listener, transaction.id(),
                    session.settings().spoolDir(), e.toString());
            return Outcome.of(LOCAL_ERROR);
        }
        ReceivedTransaction received = new ReceivedTransaction(new ReceivedTransaction.Envelope(transaction.id(),
                transaction.sender(), transaction.recipients(), session.clientAddress(),
                session.helo().orElse(""), session.user().map(Account::username), session.secure()),
                transaction.envelope(), content);
        DeliveryResult result;
        try {
            result = service.get().deliver(received);
        } catch (RuntimeException e) {
            LOG.error("{}: delivery of {} failed", listener, transaction.id(), e);
            return Outcome.of(LOCAL_ERROR);
        }
        if (result == null) {
            LOG.error("{}: delivery of {} returned no result", listener, transaction.id());
            return Outcome.of(LOCAL_ERROR);
        }
        return new Outcome(Reply.of(result.replyCode(), result.enhancedCode(), result.text()), Optional.of(result),
                content.size());
    }
}
