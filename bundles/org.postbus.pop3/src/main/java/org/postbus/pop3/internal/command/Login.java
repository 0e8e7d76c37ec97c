package org.postbus.pop3.internal.command;

import java.util.Arrays;
import java.util.Optional;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.StoreException;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Maildrop;
import org.postbus.pop3.internal.session.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a user in, on the session's worker thread (the password hash is slow): checks the
 * credentials, then opens the INBOX. The response codes follow RFC 3206: {@code [AUTH]} when the
 * credentials are wrong (the client should ask the user), {@code [SYS/TEMP]} when the server
 * cannot serve now (lockouts, a missing directory or store: try later), {@code [SYS/PERM]} for a
 * disabled account, {@code [IN-USE]} (RFC 2449) when the user has too many sessions. A failure
 * is answered after a delay; after the configured number the connection is closed.
 */
final class Login {

    /** RFC 2595 4: logins before TLS are refused with this text where they are not allowed. */
    static final String PLAINTEXT_DISALLOWED = "Plaintext authentication disallowed on non-secure connections; use STLS";

    private static final Logger LOG = LoggerFactory.getLogger(Login.class);

    private Login() {
    }

    /** Whether the client's address is locked out; if so, the refusal is already under way. */
    static boolean lockedOut(Pop3Session session) {
        if (!session.guard().lockedOut(session.clientAddress())) {
            return false;
        }
        LOG.info("{}: login refused, too many failures from {}", session.settings().healthName(),
                session.clientAddress().getHostAddress());
        fail(session, Reply.err(Reply.SYS_TEMP, "Too many failed logins from your address, try again later"));
        return true;
    }

    /** Checks {@code username} and {@code password}, wiping the password, and logs in or refuses. */
    static void password(Pop3Session session, String username, char[] password) {
        try {
            if (lockedOut(session)) {
                return;
            }
            Optional<Directory> directory = session.services().directory();
            if (directory.isEmpty()) {
                session.reply(Reply.err(Reply.SYS_TEMP, "Authentication not available now, try again later"));
                return;
            }
            AuthResult result;
            try {
                result = directory.get().authenticate(username, password);
            } catch (RuntimeException e) {
                LOG.warn("{}: directory failed to authenticate: {}", session.settings().healthName(), e.toString());
                session.reply(Reply.err(Reply.SYS_TEMP, "Authentication not available now, try again later"));
                return;
            }
            outcome(session, username, result);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Logs in with the account of a successful result, or refuses. */
    static void outcome(Pop3Session session, String username, AuthResult result) {
        switch (result.status()) {
            case SUCCESS -> open(session, result.account().orElseThrow());
            case INVALID_CREDENTIALS -> {
                LOG.info("{}: login failed for '{}' from {}", session.settings().healthName(), username,
                        session.clientAddress().getHostAddress());
                session.guard().failed(session.clientAddress());
                fail(session, Reply.err(Reply.AUTH, "Authentication failed"));
            }
            case DISABLED -> fail(session, Reply.err(Reply.SYS_PERM, "Account disabled, ask your administrator"));
            case LOCKED -> fail(session, Reply.err(Reply.SYS_TEMP,
                    "Too many failed logins for this account, try again later"));
            default -> throw new IllegalStateException(result.status().name());
        }
    }

    /** Answers a failed login with {@code reply}, after the delay; closes after too many. */
    static void fail(Pop3Session session, Reply reply) {
        int failures = session.authFailed();
        session.later(session.settings().authFailureDelay(), () -> {
            session.reply(reply);
            if (failures >= session.settings().maxAuthFailures()) {
                session.close();
            }
        });
    }

    /** The TRANSACTION state for {@code account}: its INBOX as it is now. */
    private static void open(Pop3Session session, Account account) {
        String name = account.username();
        if (!session.guard().enter(name)) {
            session.reply(Reply.err(Reply.IN_USE, "Too many sessions for this mailbox, try again later"));
            return;
        }
        Optional<MailStore> store = session.services().store();
        if (store.isEmpty()) {
            session.guard().leave(name);
            session.reply(Reply.err(Reply.SYS_TEMP, "Mail store not available now, try again later"));
            return;
        }
        Maildrop maildrop;
        try {
            maildrop = Maildrop.open(store.get(), account.address());
        } catch (StoreException | RuntimeException e) {
            session.guard().leave(name);
            LOG.warn("{}: cannot open the INBOX of {}: {}", session.settings().healthName(), name, e.toString());
            session.reply(Reply.err(Reply.SYS_TEMP, "Cannot open your mailbox now, try again later"));
            return;
        }
        session.guard().succeeded(session.clientAddress());
        session.loggedIn(account, maildrop);
        int count = maildrop.count();
        session.reply(Reply.ok("Logged in, maildrop has " + count + (count == 1 ? " message (" : " messages (")
                + maildrop.octets() + " octets)"));
    }
}
