package org.postbus.imap.internal.command;

import java.util.Arrays;
import java.util.Optional;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.imap.internal.session.ImapSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials against the directory, on the session's worker thread (the hash is slow),
 * and answers with the codes of RFC 5530. A failure is answered after a delay; after the
 * configured number of failures the connection is closed, and an address with too many recent
 * failures is refused for a while.
 */
final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private Authenticator() {
    }

    /** Whether the client may try now; answers NO itself when not. */
    static boolean mayTry(ImapSession session, String tag) {
        if (!session.loginAllowed()) {
            session.tagged(tag, "NO [PRIVACYREQUIRED] Log in only over TLS: use STARTTLS first");
            return false;
        }
        if (session.lockedOut()) {
            LOG.info("{}: login refused, too many failures from {}", session.settings().healthName(),
                    session.client().getHostAddress());
            session.later(session.settings().authFailureDelay(), () -> session.tagged(tag,
                    "NO [UNAVAILABLE] Too many failed logins from your address; try again later"));
            return false;
        }
        return true;
    }

    /** Checks {@code username} and {@code password}, wiping the password, and answers. */
    static void verify(ImapSession session, String tag, String username, char[] password) {
        Optional<Directory> directory = session.directory();
        if (directory.isEmpty()) {
            Arrays.fill(password, '\0');
            session.tagged(tag, "NO [UNAVAILABLE] Authentication is not available now; try again later");
            return;
        }
        AuthResult result;
        try {
            result = directory.get().authenticate(username, password);
        } catch (RuntimeException e) {
            LOG.warn("{}: directory failed to authenticate: {}", session.settings().healthName(), e.toString());
            session.tagged(tag, "NO [UNAVAILABLE] Authentication is not available now; try again later");
            return;
        } finally {
            Arrays.fill(password, '\0');
        }
        outcome(session, tag, username, result);
    }

    /** Answers the outcome of an authentication. */
    static void outcome(ImapSession session, String tag, String username, AuthResult result) {
        if (result.succeeded()) {
            if (!session.login(result.account().orElseThrow())) {
                session.tagged(tag, "NO [LIMIT] Too many sessions for this user");
                return;
            }
            session.tagged(tag, "OK [CAPABILITY " + session.capabilities() + "] Logged in");
            return;
        }
        LOG.info("{}: authentication failed for '{}' from {}: {}", session.settings().healthName(), username,
                session.client().getHostAddress(), result.status());
        fail(session, tag, switch (result.status()) {
            case LOCKED -> "NO [UNAVAILABLE] Too many failed logins for this account; try again later";
            default -> "NO [AUTHENTICATIONFAILED] Authentication failed";
        });
    }

    /** Answers a failed authentication with {@code reply}, after the delay. */
    static void fail(ImapSession session, String tag, String reply) {
        int failures = session.authFailed();
        session.later(session.settings().authFailureDelay(), () -> {
            session.tagged(tag, reply);
            if (failures >= session.settings().maxAuthFailures()) {
                session.untagged("BYE Too many failed logins");
                session.logout();
            }
        });
    }
}
