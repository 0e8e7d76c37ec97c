package org.postbus.pop3.internal.session;

/** The states of a POP3 session (RFC 1939 3). */
public enum State {
    /** Before a successful login. */
    AUTHORIZATION,
    /** Logged in, working on the maildrop. */
    TRANSACTION,
    /** After QUIT in the TRANSACTION state: deletions are applied and the connection closes. */
    UPDATE
}
