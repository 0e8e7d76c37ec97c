package org.postbus.directory.internal;

/**
 * The directory file cannot be used: unreadable, not JSON, or JSON that does not describe a
 * consistent directory. The message is one line naming the file and the problem, fit for the log.
 */
final class DirectoryFileException extends Exception {
    private static final long serialVersionUID = 1L;

    DirectoryFileException(String message) {
        super(message);
    }

    DirectoryFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
