package org.postbus.smtp.internal.session;

/** Takes the next command line instead of the command table: a reply in an AUTH exchange. */
@FunctionalInterface
public interface LineHandler {

    /** Handles {@code line}, without its CRLF. */
    void line(SmtpSession session, String line);
}
