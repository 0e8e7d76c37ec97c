package org.postbus.api.delivery;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The delivery pipeline: receives each message a protocol bundle accepted (SMTP after DATA or
 * BDAT LAST), runs the {@link DeliveryFilter} services, then stores it for local recipients
 * (aliases expanded, one stored copy for all) and queues it for remote ones.
 *
 * <p>{@link #deliver} returns only when the outcome is final and, if accepted, durable: the
 * SMTP session may answer 250 from it. It blocks (filters, disk): never call it on a network
 * I/O thread. Without a mail store it answers {@code 451 4.3.0} and the client tries later.
 */
@ProviderType
public interface DeliveryService {

    /**
     * Delivers one message to its envelope recipients.
     *
     * @param transaction the envelope, the client and the content (with the trace header)
     * @return the reply for the client
     */
    DeliveryResult deliver(MailTransaction transaction);
}
