package org.postbus.pop3.internal.session;

/** Finds and runs the command a line names. */
@FunctionalInterface
public interface Dispatcher {

    /** Runs the command on {@code line}, or refuses it. */
    void dispatch(Pop3Session session, String line);
}
