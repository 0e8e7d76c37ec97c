package org.postbus.smtp.internal.command;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 4954) with PLAIN (RFC 4616), with or without an initial response, LOGIN, and the
 * challenge-response mechanisms the directory offers, such as SCRAM-SHA-256 (RFC 7677). Only
 * where {@link SmtpSession#authAllowed()}: over TLS, or from loopback if configured; elsewhere
 * 538 5.7.11. A line {@code *} cancels the exchange (501). An address or account with too many
 * recent failures is refused (454 4.7.0) before any credential is checked.
 */
final class AuthCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(AuthCommand.class);
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

    /** The directory's challenge-response mechanisms, as the EHLO reply lists them; none without it. */
    static List<String> saslMechanisms(SmtpSession session) {
        Optional<Directory> directory = session.services().directory();
        if (directory.isEmpty()) {
            return List.of();
        }
        try {
            return directory.get().saslMechanisms().stream().map(m -> m.toUpperCase(Locale.ROOT)).sorted().toList();
        } catch (RuntimeException e) {
            LOG.warn("{}: directory failed to list its SASL mechanisms: {}", session.settings().healthName(),
                    e.toString());
            return List.of();
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
        boolean sasl = saslMechanisms(session).contains(mechanism);
        if (!mechanism.equals("PLAIN") && !mechanism.equals("LOGIN") && !sasl) {
            throw new Refusal(504, "5.5.4", "Unrecognized authentication mechanism");
        }
        if (!session.authAllowed()) {
            throw new Refusal(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        if (session.authThrottle().addressLocked(session.clientAddress())) {
            LOG.info("{}: AUTH from {} refused: too many recent failures from the address",
                    session.settings().healthName(), session.clientAddress().getHostAddress());
            session.reply(Authenticator.LOCKED);
            return;
        }
        if (sasl) {
            startSasl(session, mechanism, words.length == 2 ? Optional.of(words[1]) : Optional.empty());
            return;
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
            Authenticator.fail(session, null, Authenticator.INVALID);
            return;
        }
        String authzid = new String(message, 0, first, StandardCharsets.UTF_8);
        String authcid = new String(message, first + 1, second - first - 1, StandardCharsets.UTF_8);
        char[] password = SaslResponse.chars(message, second + 1, message.length - second - 1);
        if (authcid.isEmpty() || (!authzid.isEmpty() && !authzid.equalsIgnoreCase(authcid))) {
            Arrays.fill(password, '\0');
            Authenticator.fail(session, authcid, Authenticator.INVALID);
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

    // ---- challenge-response mechanisms of the directory

    private static void startSasl(SmtpSession session, String mechanism, Optional<String> initial) throws Refusal {
        Optional<Directory> directory = session.services().directory();
        if (directory.isEmpty()) {
            session.reply(Authenticator.TEMPORARY);
            return;
        }
        SaslExchange exchange;
        try {
            exchange = directory.get().startSasl(mechanism);
        } catch (RuntimeException e) {
            LOG.warn("{}: directory failed to start {}: {}", session.settings().healthName(), mechanism, e.toString());
            session.reply(Authenticator.TEMPORARY);
            return;
        }
        if (initial.isPresent()) {
            saslStep(session, exchange, SaslResponse.decode(initial.get()), null);
        } else {
            // Client-first mechanisms: the empty challenge asks for the client's first message.
            session.reply(Reply.of(334, "", ""));
            session.expectLine((s, line) -> saslLine(s, line, exchange, null));
        }
    }

    private static void saslLine(SmtpSession session, String line, SaslExchange exchange, String username) {
        if (line.strip().equals(SaslResponse.CANCEL)) {
            session.refuse(Reply.of(501, "5.7.0", "Authentication cancelled"));
            return;
        }
        try {
            saslStep(session, exchange, SaslResponse.decode(line), username);
        } catch (Refusal refusal) {
            session.refuse(refusal.reply());
        }
    }

    /**
     * Passes a response to the exchange and relays its challenge or answers its outcome.
     *
     * @param username the user the exchange is for, once known
     */
    private static void saslStep(SmtpSession session, SaslExchange exchange, byte[] response, String username) {
        String user = username;
        if (user == null) {
            user = ScramName.of(response).orElse(null);
            if (user != null && session.authThrottle().accountLocked(user)) {
                LOG.info("{}: {} for '{}' from {} refused: too many recent failures for the account",
                        session.settings().healthName(), exchange.mechanism(), user,
                        session.clientAddress().getHostAddress());
                Authenticator.fail(session, null, Authenticator.LOCKED);
                return;
            }
        }
        SaslStep step;
        try {
            step = exchange.evaluate(response);
        } catch (RuntimeException e) {
            LOG.warn("{}: directory failed in {}: {}", session.settings().healthName(), exchange.mechanism(),
                    e.toString());
            session.reply(Authenticator.TEMPORARY);
            return;
        }
        if (step.done()) {
            Authenticator.outcome(session, user, step.result().orElseThrow());
            return;
        }
        String known = user;
        session.reply(Reply.of(334, "", Base64.getEncoder().encodeToString(step.challenge().orElseThrow())));
        session.expectLine((s, line) -> saslLine(s, line, exchange, known));
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
