package org.postbus.pop3.internal.command;

import org.postbus.pop3.internal.session.Pop3Session;

/** One POP3 command. Stateless: what it learns goes into the session. */
@FunctionalInterface
interface Command {

    /**
     * Executes the command.
     *
     * @param session the client's session
     * @param argument what follows the keyword and its space; empty if nothing does
     */
    void execute(Pop3Session session, String argument);
}
