package org.postbus.smtp.internal.command;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials against the directory, on the session's worker thread (the hash is slow),
 * and answers the outcome. A failure is answered after a delay that grows with the failures
 * from the same address; after the configured number of failures in one connection it is
 * closed (421). The listener's {@link org.postbus.smtp.internal.session.AuthThrottle} refuses
 * locked addresses and accounts before the directory is asked.
 */
final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    static final Reply INVALID = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    static final Reply TEMPORARY = Reply.of(454, "4.7.0", "Temporary authentication failure");
    static final Reply LOCKED = Reply.of(454, "4.7.0", "Temporary authentication failure, too many failures;"
            + " try again later");

    private Authenticator() {
    }

    /** Checks {@code username} and {@code password}, wiping the password, and replies. */
    static void verify(SmtpSession session, String username, char[] password) {
        Optional<Directory> directory = session.services().directory();
        if (directory.isEmpty()) {
            Arrays.fill(password, '\0');
            session.reply(TEMPORARY);
            return;
        }
        if (session.authThrottle().accountLocked(username)) {
            Arrays.fill(password, '\0');
            LOG.info("{}: authentication for '{}' from {} refused: too many recent failures for the account",
                    session.settings().healthName(), username, session.clientAddress().getHostAddress());
            fail(session, null, LOCKED);
            return;
        }
        AuthResult result;
        try {
            result = directory.get().authenticate(username, password);
        } catch (RuntimeException e) {
            LOG.warn("{}: directory failed to authenticate: {}", session.settings().healthName(), e.toString());
            session.reply(TEMPORARY);
            return;
        } finally {
            Arrays.fill(password, '\0');
        }
        outcome(session, username, result);
    }

    /** Answers the outcome of an authentication by {@code username} (null if unknown). */
    static void outcome(SmtpSession session, String username, AuthResult result) {
        if (result.succeeded()) {
            session.authenticated(result.account().orElseThrow());
            session.authThrottle().succeeded(username);
            session.authThrottle().succeeded(result.account().orElseThrow().username());
            session.reply(Reply.of(235, "2.7.0", "Authentication successful"));
            return;
        }
        LOG.info("{}: authentication failed for '{}' from {}: {}", session.settings().healthName(),
                username == null ? "(unknown)" : username, session.clientAddress().getHostAddress(), result.status());
        fail(session, username, result.status() == AuthResult.Status.LOCKED ? LOCKED : INVALID);
    }

    /**
     * Answers a failed authentication with {@code reply}, after the delay, and counts it against
     * the client's address and {@code username} (null if none was given).
     */
    static void fail(SmtpSession session, String username, Reply reply) {
        int failures = session.authFailed();
        Duration delay = session.authThrottle().failed(session.clientAddress(), username);
        session.later(delay, () -> {
            session.reply(reply);
            if (failures >= session.settings().maxAuthFailures()) {
                session.reply(Reply.of(421, "4.7.0", session.settings().hostname()
                        + " Too many failed authentications, closing connection"));
                session.close();
            }
        });
    }
}
