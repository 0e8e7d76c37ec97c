package org.postbus.pop3.internal.session;

/** Takes the next line instead of the command table: a client's response in a SASL exchange. */
@FunctionalInterface
public interface LineHandler {

    /** Handles the line. */
    void line(Pop3Session session, String line);
}
