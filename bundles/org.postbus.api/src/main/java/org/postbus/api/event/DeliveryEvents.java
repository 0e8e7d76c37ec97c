package org.postbus.api.event;

/**
 * Topics of the events the delivery pipeline and the outbound queue post through the OSGi Event
 * Admin, for metrics, logs and plugins.
 */
public final class DeliveryEvents {

    private DeliveryEvents() {
    }

    /** Prefix of every delivery topic. */
    public static final String TOPIC_PREFIX = "org/postbus/delivery/";

    /** A message was stored for local recipients. */
    public static final String DELIVERED = TOPIC_PREFIX + "DELIVERED";

    /** A filter rejected, deferred or discarded a message. */
    public static final String FILTERED = TOPIC_PREFIX + "FILTERED";

    /** A message entered the outbound queue. */
    public static final String QUEUED = TOPIC_PREFIX + "QUEUED";

    /** The outbound queue delivered a message to a remote server. */
    public static final String RELAYED = TOPIC_PREFIX + "RELAYED";

    /** The outbound queue gave up on recipients and bounced the message. */
    public static final String BOUNCED = TOPIC_PREFIX + "BOUNCED";

    /** Property: the transaction or queue identifier ({@code String}). */
    public static final String ID = "id";

    /** Property: the envelope sender, empty for {@code <>} ({@code String}). */
    public static final String SENDER = "sender";

    /** Property: the recipients concerned ({@code String[]}). */
    public static final String RECIPIENTS = "recipients";

    /** Property: the size in bytes ({@code Long}). */
    public static final String SIZE = "size";

    /** Property: the reply or reason, for {@code FILTERED} and {@code BOUNCED} ({@code String}). */
    public static final String REASON = "reason";
}
