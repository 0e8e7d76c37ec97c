package org.postbus.api.delivery;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/**
 * A received message on its way through the delivery pipeline: the envelope, what is known of
 * the client, and the content. Read-only: a filter changes the outcome through its
 * {@link Verdict}.
 */
@ProviderType
public interface MailTransaction {

    /** An identifier for logs and the {@code Received:} header. */
    String id();

    /** The envelope sender; empty for the null reverse-path {@code <>} (bounces). */
    Optional<MailAddress> sender();

    /** The envelope recipients accepted at RCPT, in order. */
    List<MailAddress> recipients();

    /**
     * The envelope with its extension parameters (DSN, REQUIRETLS, SMTPUTF8); its addresses are
     * {@link #sender()} and {@link #recipients()}.
     */
    default Envelope envelope() {
        return Envelope.of(sender(), recipients());
    }

    /** The client's IP address. */
    InetAddress clientAddress();

    /** The name the client gave in EHLO or HELO. */
    String heloName();

    /** The authenticated user, if the client authenticated. */
    Optional<String> authenticatedUser();

    /** Whether the message arrived over TLS. */
    boolean secure();

    /** The message as received, with the trace header already prepended. */
    MessageContent content();

    /**
     * Values of the header fields with this name (any case), in order, unfolded and undecoded.
     * Reads only the header section.
     */
    List<String> header(String name);
}
