package org.postbus.smtp.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.smtp.internal.message.MessageBuilder;

/**
 * One mail transaction, from MAIL to the end of the data (RFC 5321 3.3): the envelope so far and
 * the message being received.
 */
public final class Transaction implements AutoCloseable {

    private final String id;
    private final Optional<MailAddress> sender;
    private final boolean utf8;
    private final Optional<DsnReturn> dsnReturn;
    private final Optional<String> envelopeId;
    private final boolean requireTls;
    private final List<EnvelopeRecipient> recipients = new ArrayList<>();
    private MessageBuilder message;
    private boolean chunked;

    /**
     * @param id the transaction's identifier
     * @param sender the reverse-path; empty for {@code <>}
     * @param utf8 whether MAIL carried SMTPUTF8
     */
    public Transaction(String id, Optional<MailAddress> sender, boolean utf8) {
        this(id, sender, utf8, Optional.empty(), Optional.empty(), false);
    }

    /**
     * @param id the transaction's identifier
     * @param sender the reverse-path; empty for {@code <>}
     * @param utf8 whether MAIL carried SMTPUTF8
     * @param dsnReturn MAIL's RET (RFC 3461), if any
     * @param envelopeId MAIL's ENVID, decoded, if any
     * @param requireTls whether MAIL carried REQUIRETLS (RFC 8689)
     */
    public Transaction(String id, Optional<MailAddress> sender, boolean utf8, Optional<DsnReturn> dsnReturn,
            Optional<String> envelopeId, boolean requireTls) {
        this.id = id;
        this.sender = sender;
        this.utf8 = utf8;
        this.dsnReturn = dsnReturn;
        this.envelopeId = envelopeId;
        this.requireTls = requireTls;
    }

    public String id() {
        return id;
    }

    public Optional<MailAddress> sender() {
        return sender;
    }

    /** Whether the transaction is SMTPUTF8 (RFC 6531). */
    public boolean utf8() {
        return utf8;
    }

    /** The accepted recipients, in order. */
    public List<MailAddress> recipients() {
        return recipients.stream().map(EnvelopeRecipient::address).toList();
    }

    /**
     * The envelope with its parameters, once a recipient was accepted.
     *
     * @throws IllegalStateException without recipients
     */
    public Envelope envelope() {
        if (recipients.isEmpty()) {
            throw new IllegalStateException("no recipients yet");
        }
        return new Envelope(sender, recipients, dsnReturn, envelopeId, requireTls, utf8);
    }

    /** Adds an accepted recipient; a repeated one is kept once, with its first parameters. */
    public void addRecipient(EnvelopeRecipient recipient) {
        if (recipients.stream().noneMatch(r -> r.address().equals(recipient.address()))) {
            recipients.add(recipient);
        }
    }

    public int recipientCount() {
        return recipients.size();
    }

    /** The message being received, once DATA or the first BDAT began it. */
    public Optional<MessageBuilder> message() {
        return Optional.ofNullable(message);
    }

    /** Begins the message. */
    public void begin(MessageBuilder builder, boolean overChunks) {
        if (message != null) {
            throw new IllegalStateException("message already begun");
        }
        message = builder;
        chunked = overChunks;
    }

    /** Whether the message arrives in BDAT chunks (RFC 3030), so DATA is out of sequence. */
    public boolean chunked() {
        return chunked;
    }

    /** Releases the message's spool. */
    @Override
    public void close() {
        if (message != null) {
            message.close();
        }
    }
}
