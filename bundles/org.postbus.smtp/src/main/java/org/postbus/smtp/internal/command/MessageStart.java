package org.postbus.smtp.internal.command;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.postbus.api.mail.MailAddress;
import org.postbus.smtp.internal.ListenerSettings;
import org.postbus.smtp.internal.message.MessageBuilder;
import org.postbus.smtp.internal.message.ReceivedHeader;
import org.postbus.smtp.internal.message.Spool;
import org.postbus.smtp.internal.session.SmtpSession;
import org.postbus.smtp.internal.session.Transaction;

/** What DATA and the first BDAT share: checking that a message may begin, and beginning it. */
final class MessageStart {

    private MessageStart() {
    }

    /**
     * Why no message may begin now, if so: no MAIL (503), or no accepted recipient (554, RFC 5321
     * 3.3 and RFC 2920 3.1).
     */
    static Optional<Refusal> refusal(SmtpSession session) {
        Optional<Transaction> transaction = session.transaction();
        if (transaction.isEmpty()) {
            return Optional.of(new Refusal(503, "5.5.1", "Need MAIL command"));
        }
        if (transaction.get().recipientCount() == 0) {
            return Optional.of(new Refusal(554, "5.5.1", "No valid recipients"));
        }
        return Optional.empty();
    }

    /** Begins the message of the session's transaction, with its trace field. */
    static MessageBuilder begin(SmtpSession session, Transaction transaction, boolean overChunks) {
        ListenerSettings settings = session.settings();
        List<MailAddress> recipients = transaction.recipients();
        byte[] trace = ReceivedHeader.of(session.helo().orElse("unknown"), session.clientAddress(),
                settings.hostname(),
                ReceivedHeader.protocol(session.extended(), transaction.utf8(), session.secure(), session.user().isPresent()),
                transaction.id(), recipients.size() == 1 ? Optional.of(recipients.get(0)) : Optional.empty(),
                ZonedDateTime.now());
        MessageBuilder builder = new MessageBuilder(new Spool(settings.spoolDir(), settings.spoolThreshold()),
                settings.maxMessageSize(), trace);
        transaction.begin(builder, overChunks);
        return builder;
    }
}
