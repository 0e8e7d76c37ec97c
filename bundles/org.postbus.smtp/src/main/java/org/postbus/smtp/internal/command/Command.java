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
}
