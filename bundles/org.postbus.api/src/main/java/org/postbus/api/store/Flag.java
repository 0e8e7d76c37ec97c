package org.postbus.api.store;

/**
 * The IMAP system flags (RFC 9051 section 2.3.2). Keywords are plain strings beside them.
 */
public enum Flag {
    /** {@code \Seen}: the message has been read. */
    SEEN("\\Seen"),
    /** {@code \Answered}: the message has been answered. */
    ANSWERED("\\Answered"),
    /** {@code \Flagged}: the message is marked for attention. */
    FLAGGED("\\Flagged"),
    /** {@code \Deleted}: the message is marked for removal by a later expunge. */
    DELETED("\\Deleted"),
    /** {@code \Draft}: the message is a draft. */
    DRAFT("\\Draft");

    private final String imapName;

    Flag(String imapName) {
        this.imapName = imapName;
    }

    /** The flag as IMAP writes it, with its backslash. */
    public String imapName() {
        return imapName;
    }
}
