package org.postbus.api.queue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
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
     * queue answers for it.
     *
     * @param sender the envelope sender; empty for a bounce (never bounced itself)
     * @param recipients remote recipients; at least one
     * @param content the message, trace headers included
     * @return the queue identifier
     */
    String enqueue(Optional<MailAddress> sender, List<MailAddress> recipients, MessageContent content)
            throws IOException;

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
