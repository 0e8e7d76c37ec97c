package org.postbus.smtp.internal.command;

import java.util.Arrays;
import java.util.Optional;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials against the directory, on the session's worker thread (the hash is slow).
 * A failure is answered after a delay, and after the configured number of failures the
 * connection is closed (421).
 */
final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private Authenticator() {
    }

    /** Checks {@code username} and {@code password}, wiping the password, and replies. */
    static void verify(SmtpSession session, String username, char[] password) {
        Optional<Directory> directory = session.services().directory();
        if (directory.isEmpty()) {
            Arrays.fill(password, '\0');
            session.reply(Reply.of(454, "4.7.0", "Temporary authentication failure"));
            return;
        }
        AuthResult result;
        try {
            result = directory.get().authenticate(username, password);
        } catch (RuntimeException e) {
            LOG.warn("{}: directory failed to authenticate: {}", session.settings().healthName(), e.toString());
            session.reply(Reply.of(454, "4.7.0", "Temporary authentication failure"));
            return;
        } finally {
            Arrays.fill(password, '\0');
        }
        if (result.succeeded()) {
            session.authenticated(result.account().orElseThrow());
            session.reply(Reply.of(235, "2.7.0", "Authentication successful"));
        } else {
            LOG.info("{}: authentication failed for '{}' from {}: {}", session.settings().healthName(), username,
                    session.clientAddress().getHostAddress(), result.status());
            fail(session, result.status() == AuthResult.Status.LOCKED
                    ? Reply.of(454, "4.7.0", "Temporary authentication failure, try again later")
                    : Reply.of(535, "5.7.8", "Authentication credentials invalid"));
        }
    }

    /** Answers a failed authentication with {@code reply}, after the delay. */
    static void fail(SmtpSession session, Reply reply) {
        int failures = session.authFailed();
        session.later(session.settings().authFailureDelay(), () -> {
            session.reply(reply);
            if (failures >= session.settings().maxAuthFailures()) {
                session.reply(Reply.of(421, "4.7.0", session.settings().hostname()
                        + " Too many failed authentications, closing connection"));
                session.close();
            }
        });
    }
}
