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

    private final SaslOffer saslOffer = new SaslOffer();

    /**
     * Only the AUTH line needs the directory (its SASL mechanisms), and only when they were not
     * asked within the last second.
     */
    @Override
    public boolean blocks(SmtpSession session) {
        return offersAuth(session) && session.services().directory().isPresent()
                && saslOffer.remembered(session, SaslOffer.FRESH_NANOS).isEmpty();
    }

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
        if (offersAuth(session)) {
            // On the I/O thread blocks() found a fresh answer; it is taken even if it aged since.
            List<String> sasl = session.mayBlock() ? saslOffer.ask(session)
                    : saslOffer.remembered(session, Long.MAX_VALUE).orElse(List.of());
            lines.add("AUTH PLAIN LOGIN" + sasl.stream()
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

    private static boolean offersAuth(SmtpSession session) {
        return session.authAllowed() && session.user().isEmpty();
    }
}
