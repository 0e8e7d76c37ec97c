package org.postbus.pop3.internal.command;

import java.util.ArrayList;
import java.util.List;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;
import org.postbus.pop3.internal.session.State;

/**
 * CAPA (RFC 2449 5). USER and SASL are listed only where a login may be made now (TLS, or
 * loopback if allowed) and STLS only before login, where it can be used.
 */
final class CapaCommand implements Command {

    @Override
    public void execute(Pop3Session session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.err("Syntax: CAPA"));
            return;
        }
        List<String> lines = new ArrayList<>(List.of("CAPA", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE",
                "PIPELINING"));
        if (session.state() == State.AUTHORIZATION && session.authAllowed()) {
            lines.add("USER");
            lines.add("SASL " + String.join(" ", AuthCommand.mechanisms(session)));
        }
        if (session.startTlsAvailable()) {
            lines.add("STLS");
        }
        lines.add("IMPLEMENTATION Postbus");
        session.multiline(Reply.ok("Capability list follows"), lines);
    }
}
