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

    private Deliverer() {
    }

    static void finish(SmtpSession session, Transaction transaction, MessageBuilder message) {
        try {
            Reply reply = deliver(session, transaction, message);
            if (!reply.isError()) {
                session.messageAccepted();
            }
            session.reply(reply);
        } finally {
            session.resetTransaction();
        }
    }

    private static Reply deliver(SmtpSession session, Transaction transaction, MessageBuilder message) {
        String listener = session.settings().healthName();
        if (message.tooBig()) {
            return Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
        }
        Optional<DeliveryService> service = session.services().delivery();
        if (service.isEmpty()) {
            LOG.warn("{}: {} deferred: no delivery service", listener, transaction.id());
            return Reply.of(451, "4.3.0", "Mail store unavailable, try again later");
        }
        MessageContent content;
        try {
            content = message.finish();
        } catch (IOException e) {
            LOG.error("{}: {} cannot be spooled in {}: {}", listener, transaction.id(),
                    session.settings().spoolDir(), e.toString());
            return Reply.of(451, "4.3.0", "Local error in processing, try again later");
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
            return Reply.of(451, "4.3.0", "Local error in processing, try again later");
        }
        if (result == null) {
            LOG.error("{}: delivery of {} returned no result", listener, transaction.id());
            return Reply.of(451, "4.3.0", "Local error in processing, try again later");
        }
        LOG.info("{}: {} from=<{}> nrcpt={} size={} client={} user={}: {} {} {}", listener, transaction.id(),
                transaction.sender().map(Object::toString).orElse(""), transaction.recipientCount(), content.size(),
                session.clientAddress().getHostAddress(), session.user().map(Account::username).orElse("-"),
                result.replyCode(), result.enhancedCode(), result.text());
        return Reply.of(result.replyCode(), result.enhancedCode(), result.text());
    }
}
