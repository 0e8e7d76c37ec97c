package org.postbus.api.mail;

/** What a delivery status notification returns of the message: SMTP {@code RET} (RFC 3461 4.3). */
public enum DsnReturn {
    /** The whole message. */
    FULL,
    /** The header section only. */
    HDRS
}
