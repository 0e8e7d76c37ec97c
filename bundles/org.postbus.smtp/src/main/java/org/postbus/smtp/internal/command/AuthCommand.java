package org.postbus.smtp.internal.command;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;

/**
 * AUTH (RFC 4954) with PLAIN (RFC 4616), with or without an initial response, and LOGIN. Only
 * where {@link SmtpSession#authAllowed()}: over TLS, or from loopback if configured; elsewhere
 * 538 5.7.11. A line {@code *} cancels the exchange (501).
 */
final class AuthCommand implements Command {

    private static final String USERNAME = base64("Username:");
    private static final String PASSWORD = base64("Password:");

    @Override
    public void execute(SmtpSession session, String argument) {
        try {
            start(session, argument);
        } catch (Refusal refusal) {
            session.refuse(refusal.reply());
        }
    }

    private static void start(SmtpSession session, String argument) throws Refusal {
        if (!session.extended()) {
            throw new Refusal(503, "5.5.1", "Send EHLO first");
        }
        if (session.user().isPresent()) {
            throw new Refusal(503, "5.5.1", "Already authenticated");
        }
        if (session.transaction().isPresent()) {
            throw new Refusal(503, "5.5.1", "AUTH not allowed during a mail transaction");
        }
        String[] words = argument.strip().split(" +");
        if (words[0].isEmpty() || words.length > 2) {
            throw new Refusal(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        if (!mechanism.equals("PLAIN") && !mechanism.equals("LOGIN")) {
            throw new Refusal(504, "5.5.4", "Unrecognized authentication mechanism");
        }
        if (!session.authAllowed()) {
            throw new Refusal(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        boolean plain = mechanism.equals("PLAIN");
        if (words.length == 2) {
            if (plain) {
                plain(session, words[1]);
            } else {
                loginUser(session, words[1]);
            }
        } else if (plain) {
            session.reply(Reply.of(334, "", ""));
            session.expectLine((s, line) -> respond(s, line, true));
        } else {
            session.reply(Reply.of(334, "", USERNAME));
            session.expectLine((s, line) -> respond(s, line, false));
        }
    }

    private static void respond(SmtpSession session, String line, boolean plain) {
        if (line.strip().equals(SaslResponse.CANCEL)) {
            session.refuse(Reply.of(501, "5.7.0", "Authentication cancelled"));
            return;
        }
        try {
            if (plain) {
                plain(session, line);
            } else {
                loginUser(session, line);
            }
        } catch (Refusal refusal) {
            session.refuse(refusal.reply());
        }
    }

    /** RFC 4616: authzid NUL authcid NUL passwd; an authzid other than the user is refused. */
    private static void plain(SmtpSession session, String response) throws Refusal {
        byte[] message = SaslResponse.decode(response);
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            Authenticator.fail(session, Reply.of(535, "5.7.8", "Authentication credentials invalid"));
            return;
        }
        String authzid = new String(message, 0, first, StandardCharsets.UTF_8);
        String authcid = new String(message, first + 1, second - first - 1, StandardCharsets.UTF_8);
        char[] password = SaslResponse.chars(message, second + 1, message.length - second - 1);
        if (authcid.isEmpty() || (!authzid.isEmpty() && !authzid.equalsIgnoreCase(authcid))) {
            Arrays.fill(password, '\0');
            Authenticator.fail(session, Reply.of(535, "5.7.8", "Authentication credentials invalid"));
            return;
        }
        Authenticator.verify(session, authcid, password);
    }

    private static void loginUser(SmtpSession session, String response) throws Refusal {
        String username = new String(SaslResponse.decode(response), StandardCharsets.UTF_8);
        session.reply(Reply.of(334, "", PASSWORD));
        session.expectLine((s, line) -> loginPassword(s, line, username));
    }

    private static void loginPassword(SmtpSession session, String line, String username) {
        if (line.strip().equals(SaslResponse.CANCEL)) {
            session.refuse(Reply.of(501, "5.7.0", "Authentication cancelled"));
            return;
        }
        try {
            byte[] bytes = SaslResponse.decode(line);
            Authenticator.verify(session, username, SaslResponse.chars(bytes, 0, bytes.length));
        } catch (Refusal refusal) {
            session.refuse(refusal.reply());
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
