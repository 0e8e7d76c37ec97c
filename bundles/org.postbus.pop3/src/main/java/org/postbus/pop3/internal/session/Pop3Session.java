package org.postbus.pop3.internal.session;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postbus.api.directory.Account;
import org.postbus.pop3.internal.ListenerSettings;
import org.postbus.pop3.internal.Services;
import org.postbus.pop3.internal.codec.CommandLine;
import org.postbus.pop3.internal.codec.LineReader;
import org.postbus.pop3.internal.codec.MessageWriter;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.protocol.InputBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one POP3 connection and the loop that feeds its lines to the commands. The
 * commands themselves are stateless; what they learn (user, maildrop, marks) is kept here.
 *
 * <p>A session is run by one thread at a time, never a network I/O thread: decoding and command
 * handling happen in the same turn, so after STLS the very next byte is read the new way.
 */
public final class Pop3Session {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);

    private final ListenerSettings settings;
    private final Services services;
    private final LoginGuard guard;
    private final InetAddress client;
    private final Channel channel;
    private final Dispatcher dispatcher;

    private final InputBuffer input = new InputBuffer(4096);
    private final LineReader lines;
    private LineHandler continuation;

    private State state = State.AUTHORIZATION;
    private boolean secure;
    private boolean closing;
    private boolean parked;
    private String pendingUser;
    private Account user;
    private Maildrop maildrop;
    private int errors;
    private int authFailures;

    /**
     * @param settings the listener's settings
     * @param services the services, as they are at each use
     * @param guard the listener's login failures and sessions per user
     * @param client the client's address
     * @param secure whether the connection is TLS from the start
     * @param channel the connection
     * @param dispatcher the command table
     */
    public Pop3Session(ListenerSettings settings, Services services, LoginGuard guard, InetAddress client,
            boolean secure, Channel channel, Dispatcher dispatcher) {
        this.settings = settings;
        this.services = services;
        this.guard = guard;
        this.client = client;
        this.secure = secure;
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.lines = new LineReader(settings.maxLineLength());
    }

    // ---- driven by the connection

    /** Sends the greeting (RFC 1939 4). No APOP timestamp: APOP is not offered. */
    public void greet() {
        reply(Reply.ok("Postbus POP3 server ready"));
    }

    /** Takes bytes from the client and handles the lines they complete. */
    public void received(byte[] bytes) {
        if (!closing) {
            input.append(bytes);
            process();
        }
    }

    /** Handles the input already received, until more is needed or the session waits. */
    public void process() {
        while (!closing && !parked) {
            CommandLine line = lines.read(input);
            switch (line.kind()) {
                case NEED_MORE -> {
                    return;
                }
                case TOO_LONG -> {
                    continuation = null;
                    refuse(Reply.err("Line too long, at most " + settings.maxLineLength() + " octets"));
                }
                case INVALID -> {
                    continuation = null;
                    refuse(Reply.err("Invalid characters in command line"));
                }
                case LINE -> guarded(() -> command(line.text()));
                default -> throw new IllegalStateException(line.kind().name());
            }
        }
    }

    /** Whether a line or an exchange is under way, so the command timeout applies. */
    public boolean midCommand() {
        return continuation != null || input.available() > 0;
    }

    /** Whether the session waits for a delayed step. */
    public boolean parked() {
        return parked;
    }

    /** The client was silent too long: close without entering UPDATE (RFC 1939 3). */
    public void timedOut() {
        LOG.debug("{}: {} timed out", settings.healthName(), client);
        reply(Reply.err("Disconnected for inactivity"));
        close();
    }

    /** The listener stops; marked messages stay (no UPDATE without QUIT). */
    public void shutdown() {
        reply(Reply.err(Reply.SYS_TEMP, "Server shutting down, try again later"));
        close();
    }

    /** The connection is gone: releases the maildrop without applying the marks. */
    public void closed() {
        closing = true;
        logout();
    }

    // ---- used by the commands

    public ListenerSettings settings() {
        return settings;
    }

    public Services services() {
        return services;
    }

    public LoginGuard guard() {
        return guard;
    }

    public InetAddress clientAddress() {
        return client;
    }

    public State state() {
        return state;
    }

    /** Whether the connection is over TLS. */
    public boolean secure() {
        return secure;
    }

    /** Whether logins may be used now: over TLS, or from loopback if the configuration allows. */
    public boolean authAllowed() {
        return secure || (settings.authPlaintextLoopback() && client.isLoopbackAddress());
    }

    /** Whether STLS can be offered now. */
    public boolean startTlsAvailable() {
        return state == State.AUTHORIZATION && settings.starttls() && !secure && services.tls().isPresent();
    }

    /** The name given by USER, waiting for PASS. */
    public Optional<String> pendingUser() {
        return Optional.ofNullable(pendingUser);
    }

    public void pendingUser(String name) {
        pendingUser = name;
    }

    /** The logged-in account, in the TRANSACTION state. */
    public Optional<Account> user() {
        return Optional.ofNullable(user);
    }

    /** The maildrop; only in the TRANSACTION state. */
    public Maildrop maildrop() {
        if (maildrop == null) {
            throw new IllegalStateException("no maildrop before login");
        }
        return maildrop;
    }

    /**
     * Enters the TRANSACTION state. The caller has counted the session with
     * {@link LoginGuard#enter}; {@link #closed} or QUIT releases it.
     */
    public void loggedIn(Account account, Maildrop opened) {
        user = account;
        maildrop = opened;
        pendingUser = null;
        state = State.TRANSACTION;
    }

    /** Enters the UPDATE state: QUIT after login. */
    public void update() {
        state = State.UPDATE;
    }

    /** Counts a failed login; returns the count so far. */
    public int authFailed() {
        return ++authFailures;
    }

    /** Sends a one-line response. */
    public void reply(Reply reply) {
        byte[] bytes = reply.encode();
        channel.write(bytes, 0, bytes.length);
    }

    /** Sends a SASL challenge: {@code +}, a space and the bytes in base64 (RFC 5034 4). */
    public void challenge(byte[] challenge) {
        byte[] line = ("+ " + Base64.getEncoder().encodeToString(challenge) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        channel.write(line, 0, line.length);
    }

    /** Sends a multi-line response: the status line, the lines (dot-stuffed) and the final dot. */
    public void multiline(Reply first, Iterable<String> body) {
        StringBuilder out = new StringBuilder(8192);
        out.append(new String(first.encode(), StandardCharsets.UTF_8));
        for (String line : body) {
            if (line.startsWith(".")) {
                out.append('.');
            }
            out.append(line).append("\r\n");
            if (out.length() >= 60_000 && !sendText(out)) {
                return;
            }
        }
        out.append(".\r\n");
        sendText(out);
    }

    /**
     * Sends {@code first} and then a message as a multi-line response. If the message cannot be
     * read to its end after the status line went out, nothing can tell the client, so the
     * connection is closed.
     *
     * @param bodyLines as for TOP, or negative for the whole message
     */
    public void message(Reply first, InputStream content, long bodyLines) {
        reply(first);
        try (InputStream in = content) {
            if (!MessageWriter.write(in, bodyLines, channel)) {
                close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot read a message of {} for {}: {}", settings.healthName(),
                    user == null ? "?" : user.username(), client, e.toString());
            close();
        }
    }

    /**
     * Sends a response to a command that was refused for the client's fault. Too many of them
     * close the connection.
     */
    public void refuse(Reply reply) {
        reply(reply);
        if (++errors >= settings.maxErrors() && !closing) {
            reply(Reply.err("Too many errors, closing connection"));
            close();
        }
    }

    /** Sends the responses so far and closes the connection. */
    public void close() {
        closing = true;
        continuation = null;
        channel.close();
        logout();
    }

    /** Lets {@code handler} take the next line, for a SASL exchange. */
    public void expectLine(LineHandler handler) {
        continuation = handler;
    }

    /**
     * Starts TLS after the STLS response already given. Whatever the client pipelined after STLS
     * is dropped, and the session starts over (RFC 2595 4): no USER given.
     */
    public void startTls(SSLContext context, List<String> protocols) {
        channel.startTls(context, protocols);
        input.clear();
        lines.reset();
        secure = true;
        pendingUser = null;
        continuation = null;
    }

    /** Reads no input for {@code delay}, then runs {@code step} and goes on. */
    public void later(Duration delay, Runnable step) {
        parked = true;
        channel.later(delay, () -> {
            parked = false;
            if (!closing) {
                guarded(step);
            }
        });
    }

    private boolean sendText(StringBuilder out) {
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        out.setLength(0);
        return channel.write(bytes, 0, bytes.length);
    }

    /** Releases the maildrop and the user's session count; the marks are not applied here. */
    private void logout() {
        Maildrop current = maildrop;
        maildrop = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                LOG.debug("{}: closing a maildrop failed: {}", settings.healthName(), e.toString());
            }
        }
        Account account = user;
        user = null;
        if (account != null) {
            guard.leave(account.username());
        }
    }

    private void command(String text) {
        LineHandler handler = continuation;
        if (handler != null) {
            continuation = null;
            handler.line(this, text);
        } else {
            dispatcher.dispatch(this, text);
        }
    }

    /** A fault of ours answers the client with an error and leaves the session usable. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("{}: a command from {} failed", settings.healthName(), client, e);
            continuation = null;
            reply(Reply.err(Reply.SYS_TEMP, "Local error in processing, try again later"));
        }
    }
}
