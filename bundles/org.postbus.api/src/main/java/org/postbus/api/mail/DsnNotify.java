package org.postbus.api.mail;

/**
 * When a sender asked to be told about a recipient's delivery: the values of the SMTP
 * {@code NOTIFY} parameter (RFC 3461 section 4.1). {@link #NEVER} stands alone.
 */
public enum DsnNotify {
    /** Never send a delivery status notification for this recipient. */
    NEVER,
    /** Tell the sender when the message was delivered (or relayed to a server without DSN). */
    SUCCESS,
    /** Tell the sender when delivery failed (the default when nothing was asked). */
    FAILURE,
    /** Tell the sender when delivery is delayed (the default when nothing was asked). */
    DELAY
}
