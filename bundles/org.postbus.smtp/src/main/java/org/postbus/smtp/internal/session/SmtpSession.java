package org.postbus.smtp.internal.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postbus.api.directory.Account;
import org.postbus.smtp.internal.ListenerSettings;
import org.postbus.smtp.internal.Services;
import org.postbus.smtp.internal.codec.ByteSink;
import org.postbus.smtp.internal.codec.CommandLine;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.message.MessageBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one SMTP connection and the loop that feeds its input to the commands. The
 * commands themselves are stateless; what they learn (HELO name, user, transaction) is kept here.
 *
 * <p>A session is run by one thread at a time: decoding and command handling happen in the same
 * turn, so after DATA, BDAT or STARTTLS the very next byte is read the new way, however the client
 * pipelined it. A network I/O thread may run it only through {@link #receivedWithoutBlocking},
 * which stops before anything that may block; the rest runs on a worker.
 */
public final class SmtpSession {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    /** Hands the session to a worker with nothing to run first: it goes on with the input. */
    private static final Runnable RESUME = () -> { };

    private final ListenerSettings settings;
    private final Services services;
    private final InetAddress client;
    private final Channel channel;
    private final Dispatcher dispatcher;
    private final AuthThrottle authThrottle;

    private final Input input;
    private LineHandler continuation;

    private boolean secure;
    private boolean closing;
    private boolean parked;
    private boolean mayBlock = true;
    private String helo;
    private boolean extended;
    private Account user;
    private Transaction transaction;
    private int errors;
    private int authFailures;
    private int junkCommands;
    private boolean mailSeen;

    /**
     * @param settings the listener's settings
     * @param services the services, as they are at each use
     * @param client the client's address
     * @param secure whether the connection is TLS from the start
     * @param channel the connection
     * @param dispatcher the command table
     * @param authThrottle the listener's failed-login throttle
     */
    public SmtpSession(ListenerSettings settings, Services services, InetAddress client, boolean secure,
            Channel channel, Dispatcher dispatcher, AuthThrottle authThrottle) {
        this.settings = settings;
        this.services = services;
        this.client = client;
        this.secure = secure;
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.authThrottle = authThrottle;
        this.input = new Input(settings.maxLineLength());
    }

    // ---- driven by the connection

    /** Sends the greeting (RFC 5321 4.3.1). */
    public void greet() {
        reply(Reply.of(220, "", settings.hostname() + " ESMTP Postbus"));
    }

    /** Takes bytes from the client and handles what they complete. */
    public void received(byte[] bytes) {
        if (!closing) {
            input.append(bytes);
            process();
        }
    }

    /**
     * Takes bytes on a thread that must not block, a network I/O thread: handles what needs
     * neither the directory nor the disk, and stops before the first step that may block (RCPT,
     * the end of a message, a message growing into a spool file), which it returns for a worker
     * to run. The worker then goes on with {@link #process()}, so the order of the input holds.
     *
     * @return the step that may block, or null if everything received was handled
     */
    public Runnable receivedWithoutBlocking(byte[] bytes) {
        if (closing) {
            return null;
        }
        input.append(bytes);
        mayBlock = false;
        try {
            return handleInput();
        } finally {
            mayBlock = true;
        }
    }

    /** Handles the input already received, until more is needed or the session waits. */
    public void process() {
        handleInput();
    }

    /** On a worker, handles all it can and returns null; else returns the first step that may block. */
    private Runnable handleInput() {
        while (!closing && !parked) {
            if (!input.commands()) {
                if (!mayBlock && !input.contentInMemory()) {
                    return RESUME;
                }
                Runnable complete = input.content();
                if (complete == null) {
                    return null;
                }
                if (!mayBlock) {
                    return () -> guarded(complete);
                }
                guarded(complete);
                continue;
            }
            if (!mayBlock && holdsFile()) {
                // Any reply may end the transaction, and releasing its spool file touches the disk.
                return RESUME;
            }
            CommandLine line = input.line();
            switch (line.kind()) {
                case NEED_MORE -> {
                    return null;
                }
                case TOO_LONG -> refuse(Reply.of(500, "5.5.6", "Line too long"));
                case BARE_LINE_BREAK -> refuse(Reply.of(500, "5.5.2", "Bare CR or LF not allowed; lines end with CRLF"));
                case LINE -> {
                    if (!mayBlock && needsWorker(line.text())) {
                        return () -> guarded(() -> command(line.text()));
                    }
                    guarded(() -> command(line.text()));
                }
                default -> throw new IllegalStateException(line.kind().name());
            }
        }
        return null;
    }

    private boolean needsWorker(String line) {
        if (continuation != null) {
            return true;
        }
        try {
            return dispatcher.blocks(this, line);
        } catch (RuntimeException e) {
            // Run on a worker, where the command answers for its own failure.
            return true;
        }
    }

    /** Whether the message under way went to a spool file, so that releasing it touches the disk. */
    public boolean holdsFile() {
        Transaction current = transaction;
        return current != null && current.message().map(MessageBuilder::onDisk).orElse(false);
    }

    /** Whether a command, message or exchange is under way, so the command timeout applies. */
    public boolean midCommand() {
        return transaction != null || continuation != null || input.pending();
    }

    /**
     * Whether the step running now may block: false on the network I/O thread, where a command
     * runs only if its {@link Dispatcher#blocks} said it needs nothing that blocks.
     */
    public boolean mayBlock() {
        return mayBlock;
    }

    /** Whether the session waits for a delayed step. */
    public boolean parked() {
        return parked;
    }

    /** The client was silent too long (RFC 5321 4.5.3.2). */
    public void timedOut() {
        LOG.debug("{}: timeout, closing", client);
        reply(Reply.of(421, "4.4.2", settings.hostname() + " Error: timeout exceeded"));
        close();
    }

    /** The listener stops. */
    public void shutdown() {
        reply(Reply.of(421, "4.3.2", settings.hostname() + " Service shutting down"));
        close();
    }

    /** The connection is gone: releases the message being received, if any. */
    public void closed() {
        closing = true;
        resetTransaction();
    }

    // ---- used by the commands

    public ListenerSettings settings() {
        return settings;
    }

    public Services services() {
        return services;
    }

    public InetAddress clientAddress() {
        return client;
    }

    /** Whether the connection is over TLS. */
    public boolean secure() {
        return secure;
    }

    /** The HELO or EHLO name, once given. */
    public Optional<String> helo() {
        return Optional.ofNullable(helo);
    }

    /** Whether the client greeted with EHLO, so extensions are in use. */
    public boolean extended() {
        return extended;
    }

    /** Records a HELO or EHLO, which also ends any transaction (RFC 5321 4.1.4). */
    public void hello(String name, boolean withExtensions) {
        helo = name;
        extended = withExtensions;
        resetTransaction();
    }

    /** The authenticated account, if any. */
    public Optional<Account> user() {
        return Optional.ofNullable(user);
    }

    public void authenticated(Account account) {
        user = account;
    }

    /** Whether AUTH may be used now: over TLS, or from loopback if the configuration allows. */
    public boolean authAllowed() {
        return secure || (settings.authPlaintextLoopback() && client.isLoopbackAddress());
    }

    /** Whether STARTTLS can be offered now. */
    public boolean startTlsAvailable() {
        return settings.starttls() && !secure && services.tls().isPresent();
    }

    /** The listener's failed-login throttle. */
    public AuthThrottle authThrottle() {
        return authThrottle;
    }

    /**
     * Counts a command that moves no mail forward: NOOP, RSET, VRFY, HELP and the like, or any
     * command before the first MAIL. Past the limit the client is told 421 and disconnected.
     *
     * @param always whether the command is junk wherever it comes (NOOP and its kind)
     * @return whether the connection is being closed for it
     */
    public boolean junk(boolean always) {
        if (!always && mailSeen) {
            return false;
        }
        if (++junkCommands > settings.maxJunkCommands()) {
            LOG.info("{}: {} sent more than {} commands that move no mail, closing", settings.healthName(),
                    client.getHostAddress(), settings.maxJunkCommands());
            reply(Reply.of(421, "4.7.0", settings.hostname() + " Too many commands without mail, closing connection"));
            close();
            return true;
        }
        return false;
    }

    /** A message was accepted: the client is doing real work, so its junk count starts anew. */
    public void messageAccepted() {
        junkCommands = 0;
    }

    /** Counts a failed authentication; returns the count so far. */
    public int authFailed() {
        return ++authFailures;
    }

    public Optional<Transaction> transaction() {
        return Optional.ofNullable(transaction);
    }

    public void begin(Transaction started) {
        resetTransaction();
        mailSeen = true;
        transaction = started;
    }

    /** Ends the transaction, if any, releasing its message. */
    public void resetTransaction() {
        Transaction current = transaction;
        transaction = null;
        if (current != null) {
            current.close();
        }
    }

    /** Sends a reply. */
    public void reply(Reply reply) {
        channel.send(reply.encode());
    }

    /** Sends a reply and those held before it at once: the client waits for it, and nothing else. */
    public void replyNow(Reply reply) {
        channel.send(reply.encode());
        channel.flush();
    }

    /**
     * Sends a reply to a command that was refused for the client's fault. Too many of them close
     * the connection.
     */
    public void refuse(Reply reply) {
        reply(reply);
        if (++errors >= settings.maxErrors() && !closing) {
            reply(Reply.of(421, "4.7.0", settings.hostname() + " Too many errors, closing connection"));
            close();
        }
    }

    /** Sends the replies so far and closes the connection. */
    public void close() {
        closing = true;
        resetTransaction();
        channel.close();
    }

    /** Lets {@code handler} take the next line, for a challenge and response (AUTH). */
    public void expectLine(LineHandler handler) {
        continuation = handler;
    }

    /** Reads a message after DATA into {@code target}, then runs {@code end}. */
    public void expectData(ByteSink target, Runnable end) {
        input.expectData(target, end);
    }

    /** Reads a BDAT chunk of {@code size} octets into {@code target}, then runs {@code end}. */
    public void expectChunk(long size, ByteSink target, Runnable end) {
        input.expectChunk(size, target, end);
    }

    /**
     * Starts TLS after the STARTTLS reply already given. Whatever the client pipelined after
     * STARTTLS is dropped, and the session starts over (RFC 3207 4.2): no HELO, no user.
     */
    public void startTls(SSLContext context, List<String> protocols) {
        channel.startTls(context, protocols);
        input.discard();
        secure = true;
        helo = null;
        extended = false;
        user = null;
        continuation = null;
        resetTransaction();
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

    private void command(String text) {
        LineHandler handler = continuation;
        if (handler != null) {
            continuation = null;
            handler.line(this, text);
        } else {
            dispatcher.dispatch(this, text);
        }
    }

    /** A fault of ours answers the client with a 451 and leaves the session usable. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("{}: a command from {} failed", settings.healthName(), client, e);
            continuation = null;
            resetTransaction();
            reply(Reply.of(451, "4.3.0", "Local error in processing, try again later"));
        }
    }
}
