package org.postbus.api.store;

/**
 * A store operation that failed. {@link #reason()} says how a protocol should answer: IMAP maps
 * it to a response code ({@code NONEXISTENT}, {@code ALREADYEXISTS}, {@code OVERQUOTA},
 * {@code UNAVAILABLE}, ...), SMTP to a 4xx or 5xx reply.
 */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** The mailbox or message does not exist. */
        NONEXISTENT,
        /** A mailbox of that name already exists. */
        ALREADY_EXISTS,
        /** The name is not allowed (bad characters, too long, reserved). */
        INVALID_NAME,
        /** The operation is not allowed on this mailbox (deleting INBOX, for example). */
        NOT_ALLOWED,
        /** The user's quota would be exceeded. */
        OVER_QUOTA,
        /** The store cannot serve now (disk full, I/O error, shutting down); try later. */
        UNAVAILABLE
    }

    private final Reason reason;

    /** A failure with a reason and a message for the user. */
    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A failure caused by an underlying error. */
    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the operation failed. */
    public Reason reason() {
        return reason;
    }
}
