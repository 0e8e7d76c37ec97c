package org.postbus.smtp.internal.command;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/**
 * EHLO (RFC 5321 4.1.1.1): greets and lists the extensions. STARTTLS is listed only on a plain
 * connection with TLS available, AUTH only where it may be used (over TLS, or from loopback if
 * allowed), with SCRAM-SHA-256 when the directory offers it. REQUIRETLS only over TLS, where
 * MAIL accepts it.
 */
final class EhloCommand implements Command {

    @Override
    public void execute(SmtpSession session, String argument) {
        String name = HelloName.of(argument);
        if (name.isEmpty()) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: EHLO hostname"));
            return;
        }
        session.hello(name, true);
        List<String> lines = new ArrayList<>();
        lines.add(session.settings().hostname() + " Hello " + name);
        lines.add("PIPELINING");
        lines.add("SIZE " + session.settings().maxMessageSize());
        lines.add("8BITMIME");
        lines.add("ENHANCEDSTATUSCODES");
        if (session.startTlsAvailable()) {
            lines.add("STARTTLS");
        }
        if (session.authAllowed() && session.user().isEmpty()) {
            lines.add("AUTH PLAIN LOGIN" + AuthCommand.saslMechanisms(session).stream()
                    .map(mechanism -> " " + mechanism).collect(Collectors.joining()));
        }
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        lines.add("DSN");
        if (session.secure()) {
            lines.add("REQUIRETLS");
        }
        session.reply(new Reply(250, "", lines));
    }
}
