package org.postbus.pop3.internal.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 5034) with PLAIN (RFC 4616), with or without an initial response, and the
 * challenge-response mechanisms the directory offers (SCRAM-SHA-256), relayed step by step.
 * Without an argument it lists the mechanisms. A response {@code *} cancels the exchange.
 */
final class AuthCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(AuthCommand.class);
    private static final String PLAIN = "PLAIN";

    /** The mechanisms offered now: PLAIN and the directory's own. */
    static List<String> mechanisms(Pop3Session session) {
        List<String> names = new ArrayList<>();
        names.add(PLAIN);
        session.services().directory().ifPresent(directory -> {
            try {
                for (String name : new TreeSet<>(directory.saslMechanisms())) {
                    String upper = name.toUpperCase(Locale.ROOT);
                    if (!names.contains(upper)) {
                        names.add(upper);
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("directory cannot list SASL mechanisms: {}", e.toString());
            }
        });
        return names;
    }

    @Override
    public void execute(Pop3Session session, String argument) {
        String[] words = Arguments.words(argument);
        if (words.length > 2) {
            session.refuse(Reply.err("Syntax: AUTH mechanism [initial-response]"));
            return;
        }
        if (!session.authAllowed()) {
            session.refuse(Reply.err(Reply.AUTH, Login.PLAINTEXT_DISALLOWED));
            return;
        }
        if (words.length == 0) {
            session.multiline(Reply.ok("Supported mechanisms follow"), mechanisms(session));
            return;
        }
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        Optional<byte[]> initial = Optional.empty();
        if (words.length == 2) {
            initial = SaslResponse.decode(words[1]);
            if (initial.isEmpty()) {
                session.refuse(Reply.err("Cannot decode the initial response as base64"));
                return;
            }
        }
        if (mechanism.equals(PLAIN)) {
            if (initial.isPresent()) {
                plain(session, initial.get());
            } else {
                session.challenge(new byte[0]);
                session.expectLine((s, line) -> respond(s, line, AuthCommand::plain));
            }
            return;
        }
        if (!mechanisms(session).contains(mechanism)) {
            session.refuse(Reply.err("Unrecognized authentication mechanism"));
            return;
        }
        if (Login.lockedOut(session)) {
            return;
        }
        Optional<Directory> directory = session.services().directory();
        SaslExchange exchange;
        try {
            exchange = directory.orElseThrow().startSasl(mechanism);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot start SASL {}: {}", session.settings().healthName(), mechanism, e.toString());
            session.reply(Reply.err(Reply.SYS_TEMP, "Authentication not available now, try again later"));
            return;
        }
        if (initial.isPresent()) {
            step(session, exchange, initial.get());
        } else {
            // The mechanisms relayed are client-first: without an initial response the client
            // sends its first message after an empty challenge (RFC 4422 3.3).
            session.challenge(new byte[0]);
            session.expectLine((s, line) -> respond(s, line, (again, bytes) -> step(again, exchange, bytes)));
        }
    }

    /** Passes a response to the exchange and relays its challenge, or ends with its outcome. */
    private static void step(Pop3Session session, SaslExchange exchange, byte[] response) {
        SaslStep step;
        try {
            step = exchange.evaluate(response);
        } catch (RuntimeException e) {
            LOG.warn("{}: SASL {} failed: {}", session.settings().healthName(), exchange.mechanism(), e.toString());
            session.reply(Reply.err(Reply.SYS_TEMP, "Authentication not available now, try again later"));
            return;
        }
        if (step.done()) {
            Login.outcome(session, exchange.mechanism(), step.result().orElseThrow());
            return;
        }
        session.challenge(step.challenge().orElseThrow());
        session.expectLine((s, line) -> respond(s, line, (again, bytes) -> step(again, exchange, bytes)));
    }

    /** A client's line in an exchange: cancel, or a base64 response for {@code next}. */
    private static void respond(Pop3Session session, String line, Next next) {
        if (line.strip().equals(SaslResponse.CANCEL)) {
            session.refuse(Reply.err("Authentication cancelled"));
            return;
        }
        Optional<byte[]> bytes = SaslResponse.decode(line);
        if (bytes.isEmpty()) {
            session.refuse(Reply.err("Cannot decode the response as base64, authentication cancelled"));
            return;
        }
        next.take(session, bytes.get());
    }

    /** RFC 4616: authzid NUL authcid NUL passwd; an authzid other than the user is refused. */
    private static void plain(Pop3Session session, byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            Login.outcome(session, "(malformed PLAIN)", AuthResult.INVALID);
            return;
        }
        String authzid = new String(message, 0, first, StandardCharsets.UTF_8);
        String authcid = new String(message, first + 1, second - first - 1, StandardCharsets.UTF_8);
        Optional<char[]> password = SaslResponse.chars(message, second + 1, message.length - second - 1);
        if (password.isEmpty() || authcid.isEmpty() || (!authzid.isEmpty() && !authzid.equalsIgnoreCase(authcid))) {
            password.ifPresent(chars -> Arrays.fill(chars, '\0'));
            Login.outcome(session, authcid, AuthResult.INVALID);
            return;
        }
        Login.password(session, authcid, password.get());
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** What to do with a decoded response. */
    @FunctionalInterface
    private interface Next {
        void take(Pop3Session session, byte[] response);
    }
}
