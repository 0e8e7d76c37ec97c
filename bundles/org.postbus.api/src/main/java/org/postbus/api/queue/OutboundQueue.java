package org.postbus.api.queue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/**
 * The durable outbound queue: messages for remote recipients, delivered by MX with retries and a
 * bounce (RFC 3464) to the sender on permanent failure or expiry.
 */
@ProviderType
public interface OutboundQueue {

    /**
     * Hands a message to the queue. Returns only when the message is on disk: from then on the
     * queue answers for it: delivery by MX (or the smarthost), retries, and the notifications
     * the envelope asks for (RFC 3461; by default a bounce on failure, never for {@code <>}).
     * The envelope's DSN and REQUIRETLS parameters travel on to the next hop.
     *
     * @param envelope the sender and the remote recipients, with their parameters
     * @param content the message, trace headers included
     * @return the queue identifier
     */
    String enqueue(Envelope envelope, MessageContent content) throws IOException;

    /**
     * Hands a message without envelope parameters to the queue; see
     * {@link #enqueue(Envelope, MessageContent)}.
     *
     * @param sender the envelope sender; empty for a bounce (never bounced itself)
     * @param recipients remote recipients; at least one
     */
    default String enqueue(Optional<MailAddress> sender, List<MailAddress> recipients,
            MessageContent content) throws IOException {
        return enqueue(Envelope.of(sender, recipients), content);
    }

    /**
     * Sends the sender a delivery status notification (RFC 3464) saying that these recipients
     * received the message, for recipients that asked for it with {@code NOTIFY=SUCCESS}: local
     * delivery calls this after storing. Durable when it returns.
     *
     * @param envelope the message's envelope; only recipients that asked are reported
     * @param delivered the recipients the message was delivered to
     * @param content the message (its headers, or all of it for {@code RET=FULL})
     */
    void notifyDelivered(Envelope envelope, List<EnvelopeRecipient> delivered,
            MessageContent content) throws IOException;

    /** The queued messages, oldest first. */
    List<QueueEntry> list();

    /** One queued message. */
    Optional<QueueEntry> get(String id);

    /**
     * Schedules an immediate attempt.
     *
     * @return whether the message was in the queue
     */
    boolean retry(String id);

    /**
     * Removes a message without delivering or bouncing it.
     *
     * @return whether the message was in the queue
     */
    boolean delete(String id) throws IOException;
}
