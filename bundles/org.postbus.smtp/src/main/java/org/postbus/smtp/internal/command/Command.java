package org.postbus.smtp.internal.command;

import org.postbus.smtp.internal.session.SmtpSession;

/** One SMTP command. Stateless: what it learns goes into the session. */
@FunctionalInterface
interface Command {

    /**
     * Executes the command.
     *
     * @param session the client's session
     * @param argument what follows the verb and its space; empty if nothing does
     */
    void execute(SmtpSession session, String argument);

    /**
     * Whether executing the command now may block: ask the directory, touch the disk, build TLS.
     * Commands that do none of these run on the network I/O thread, which saves two thread
     * hand-offs per command; the others run on a worker. Unless a command says otherwise, it may.
     *
     * @param session the client's session, as it will be when the command runs
     */
    default boolean blocks(SmtpSession session) {
        return true;
    }

    /** A command that only answers from the session's state, and so never blocks. */
    static Command nonBlocking(Command command) {
        return new Command() {
            @Override
            public void execute(SmtpSession session, String argument) {
                command.execute(session, argument);
            }

            @Override
            public boolean blocks(SmtpSession session) {
                return false;
            }
        };
    }
}
