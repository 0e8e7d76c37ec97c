package org.postbus.pop3.internal.command;

import java.util.Optional;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;

/**
 * PASS string (RFC 1939 7), right after USER. The password is the rest of the line, spaces
 * included, as RFC 1939 allows.
 */
final class PassCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        Optional<String> user = session.pendingUser();
        session.pendingUser(null);
        if (user.isEmpty()) {
            session.refuse(Reply.err("Send USER first"));
            return;
        }
        if (argument.isEmpty()) {
            session.refuse(Reply.err("Syntax: PASS password"));
            return;
        }
        if (!session.authAllowed()) {
            session.refuse(Reply.err(Reply.AUTH, Login.PLAINTEXT_DISALLOWED));
            return;
        }
        Login.password(session, user.get(), argument.toCharArray());
    }
}
