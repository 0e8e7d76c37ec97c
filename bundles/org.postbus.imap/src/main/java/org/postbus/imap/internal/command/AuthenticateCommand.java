package org.postbus.imap.internal.command;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTHENTICATE (RFC 9051 6.2.2) with an initial response (SASL-IR, RFC 4959): PLAIN decoded here,
 * SCRAM-SHA-256 relayed step by step to the directory's exchange.
 */
final class AuthenticateCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticateCommand.class);

    @Override
    public void execute(ImapSession session, Request r) throws ParseException {
        ImapParser p = r.args();
        p.sp();
        String mechanism = p.atom().toUpperCase(Locale.ROOT);
        String initial = null;
        if (p.accept(' ')) {
            initial = p.atom();
        }
        p.end();
        Set<String> offered = session.directory().map(Directory::saslMechanisms).orElse(Set.of());
        if (!mechanism.equals("PLAIN") && !(mechanism.equals("SCRAM-SHA-256") && offered.contains(mechanism))) {
            session.tagged(r.tag(), "NO [CANNOT] Unsupported authentication mechanism " + mechanism);
            return;
        }
        if (!Authenticator.mayTry(session, r.tag())) {
            return;
        }
        if (mechanism.equals("PLAIN")) {
            if (initial == null) {
                session.continuation("");
                session.expectLine(line -> plain(session, r.tag(), new String(line, StandardCharsets.US_ASCII)));
            } else {
                plain(session, r.tag(), initial);
            }
            return;
        }
        SaslExchange exchange;
        try {
            exchange = session.directory().orElseThrow().startSasl(mechanism);
        } catch (RuntimeException e) {
            LOG.warn("{}: directory cannot start {}: {}", session.settings().healthName(), mechanism, e.toString());
            session.tagged(r.tag(), "NO [UNAVAILABLE] Authentication is not available now; try again later");
            return;
        }
        if (initial == null) {
            session.continuation("");
            session.expectLine(line -> step(session, r.tag(), exchange, new String(line, StandardCharsets.US_ASCII)));
        } else {
            step(session, r.tag(), exchange, initial);
        }
    }

    private static void plain(ImapSession session, String tag, String response) {
        byte[] decoded = decode(session, tag, response);
        if (decoded == null) {
            return;
        }
        int first = indexOf(decoded, 0);
        int second = first < 0 ? -1 : indexOf(decoded, first + 1);
        if (second < 0) {
            java.util.Arrays.fill(decoded, (byte) 0);
            session.bad(tag, "Malformed PLAIN response");
            return;
        }
        String authz = new String(decoded, 0, first, StandardCharsets.UTF_8);
        String user = new String(decoded, first + 1, second - first - 1, StandardCharsets.UTF_8);
        char[] password = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(decoded, second + 1,
                decoded.length - second - 1)).array();
        java.util.Arrays.fill(decoded, (byte) 0);
        if (!authz.isEmpty() && !authz.equalsIgnoreCase(user)) {
            java.util.Arrays.fill(password, '\0');
            Authenticator.fail(session, tag, "NO [AUTHORIZATIONFAILED] Cannot log in as another user");
            return;
        }
        char[] exact = java.util.Arrays.copyOf(password, trimmedLength(password));
        java.util.Arrays.fill(password, '\0');
        Authenticator.verify(session, tag, user, exact);
    }

    private static int trimmedLength(char[] chars) {
        int n = chars.length;
        while (n > 0 && chars[n - 1] == '\0') {
            n--;
        }
        return n;
    }

    private static void step(ImapSession session, String tag, SaslExchange exchange, String response) {
        byte[] decoded = decode(session, tag, response);
        if (decoded == null) {
            return;
        }
        SaslStep step;
        try {
            step = exchange.evaluate(decoded);
        } catch (RuntimeException e) {
            LOG.warn("{}: SASL exchange failed: {}", session.settings().healthName(), e.toString());
            session.tagged(tag, "NO [UNAVAILABLE] Authentication is not available now; try again later");
            return;
        }
        if (step.done()) {
            Authenticator.outcome(session, tag, "(" + exchange.mechanism() + ")",
                    step.result().orElse(AuthResult.INVALID));
            return;
        }
        session.continuation(Base64.getEncoder().encodeToString(step.challenge().orElseThrow()));
        session.expectLine(line -> step(session, tag, exchange, new String(line, StandardCharsets.US_ASCII)));
    }

    /** Decodes a base64 response; answers a cancel ("*") or bad encoding itself and returns null. */
    private static byte[] decode(ImapSession session, String tag, String response) {
        String text = response.strip();
        if (text.equals("*")) {
            session.bad(tag, "Authentication cancelled");
            return null;
        }
        if (text.equals("=") || text.isEmpty()) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            session.bad(tag, "Invalid base64 in authentication response");
            return null;
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
