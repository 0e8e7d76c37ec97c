package org.postbus.imap.internal.codec;

/** A command that does not follow the grammar; answered with BAD and this message. */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A syntax error, described for the client. */
    public ParseException(String message) {
        super(message, null, false, false);
    }
}
