package org.postbus.api.directory;

/**
 * A directory change that cannot be made: a duplicate, an unknown domain, an invalid name. The
 * message is meant for the administrator who asked for the change.
 */
public class DirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A refused change, with a message for the administrator. */
    public DirectoryException(String message) {
        super(message);
    }

    /** A change that failed for an underlying reason, such as an unwritable file. */
    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
