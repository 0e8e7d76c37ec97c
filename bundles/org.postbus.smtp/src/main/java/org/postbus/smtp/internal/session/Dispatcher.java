package org.postbus.smtp.internal.session;

/** Runs a command line: finds the command by its verb and executes it. */
@FunctionalInterface
public interface Dispatcher {

    /** Executes {@code line}, without its CRLF. */
    void dispatch(SmtpSession session, String line);

    /**
     * Whether executing {@code line} now may block (on the directory, the disk, TLS set-up), so
     * that it must not run on a network I/O thread. A dispatcher that cannot tell says yes.
     */
    default boolean blocks(SmtpSession session, String line) {
        return true;
    }
}
