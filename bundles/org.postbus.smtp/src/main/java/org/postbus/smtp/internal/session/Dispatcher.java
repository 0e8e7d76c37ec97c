package org.postbus.smtp.internal.session;

/** Runs a command line: finds the command by its verb and executes it. */
@FunctionalInterface
public interface Dispatcher {

    /** Executes {@code line}, without its CRLF. */
    void dispatch(SmtpSession session, String line);
}
