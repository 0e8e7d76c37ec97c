package org.postbus.smtp.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    private final List<MailAddress> recipients = new ArrayList<>();
    private MessageBuilder message;
    private boolean chunked;

    /**
     * @param id the transaction's identifier
     * @param sender the reverse-path; empty for {@code <>}
     * @param utf8 whether MAIL carried SMTPUTF8
     */
    public Transaction(String id, Optional<MailAddress> sender, boolean utf8) {
        this.id = id;
        this.sender = sender;
        this.utf8 = utf8;
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
        return List.copyOf(recipients);
    }

    /** Adds an accepted recipient; a repeated one is kept once. */
    public void addRecipient(MailAddress recipient) {
        if (!recipients.contains(recipient)) {
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
