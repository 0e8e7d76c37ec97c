package org.postbus.smtp.internal;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.postbus.smtp.internal.session.Channel;
import org.postbus.smtp.internal.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link SmtpSession}, one step at a time and in order, and connects it to its MINA
 * session.
 *
 * <p>The session is run in turns, by one thread at a time. When bytes arrive and no turn is
 * under way, the I/O thread takes the turn itself and handles what needs no blocking (greeting,
 * EHLO, MAIL, DATA and the message bytes while they fit in memory, QUIT): most of a mail
 * transaction then costs no hand-off between threads. At the first step that may block (the
 * directory at RCPT, the delivery at the end of the message, a spool file), the turn goes to a
 * worker, which runs that step and whatever input follows, and ends the turn when the input runs
 * dry. While a worker holds the turn the I/O thread only queues received bytes. Replies are
 * gathered and written when the input runs dry, so pipelined commands get their replies together
 * and in order (RFC 2920). A client that sends faster than its commands run is stopped from
 * reading.
 */
final class Connection implements Channel {

    /** The session attribute that holds the connection. */
    static final AttributeKey KEY = new AttributeKey(Connection.class, "connection");

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final int MAX_QUEUED_BYTES = 1 << 20;
    private static final int MAX_HELD_REPLIES = 16 * 1024;
    /** How long a connection being closed may take to send its last replies. */
    private static final long CLOSE_GRACE_NANOS = 5_000_000_000L;

    private final IoSession io;
    private final ListenerSettings settings;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private SmtpSession smtp;

    private final Object lock = new Object();
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private long queuedBytes;
    private boolean running;
    private boolean readsSuspended;
    private boolean plaintextClosed;
    private boolean gone;
    private boolean stopping;
    private long lastActivity = System.nanoTime();

    /** Confined to the thread that holds the turn: the replies not yet written. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private volatile IoBuffer tlsTrigger;
    private volatile SslFilter pendingTls;
    private volatile long closeRequested;

    Connection(IoSession io, ListenerSettings settings, Executor workers, ScheduledExecutorService timer) {
        this.io = io;
        this.settings = settings;
        this.workers = workers;
        this.timer = timer;
    }

    void attach(SmtpSession session) {
        this.smtp = session;
    }

    // ---- I/O thread

    /** The connection is open: greet, here, since that needs nothing that blocks. */
    void opened() {
        synchronized (lock) {
            running = true;
        }
        inline(() -> {
            smtp.greet();
            return null;
        });
    }

    void received(byte[] bytes) {
        synchronized (lock) {
            if (plaintextClosed || gone) {
                return;
            }
            lastActivity = System.nanoTime();
            if (running) {
                inbound.add(bytes);
                queuedBytes += bytes.length;
                if (queuedBytes > MAX_QUEUED_BYTES && !readsSuspended) {
                    readsSuspended = true;
                    io.suspendRead();
                }
                return;
            }
            running = true;
        }
        inline(() -> smtp.receivedWithoutBlocking(bytes));
    }

    /** A write completed; after STARTTLS's 220 the TLS filter goes in before any further read. */
    void sent(Object message) {
        if (message != null && message == tlsTrigger) {
            tlsTrigger = null;
            try {
                io.getFilterChain().addFirst("tls", pendingTls);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot start TLS with {}: {}", settings.healthName(), io.getRemoteAddress(), e.toString());
                io.closeNow();
                return;
            }
            synchronized (lock) {
                plaintextClosed = false;
            }
        }
    }

    /** Checked every second while the client sends nothing. */
    void idle() {
        long closing = closeRequested;
        if (closing != 0 && System.nanoTime() - closing > CLOSE_GRACE_NANOS) {
            // The last replies could not be sent (a client that reads nothing, a TLS handshake
            // that never comes): close without them.
            io.closeNow();
            return;
        }
        synchronized (lock) {
            if (running || gone) {
                return;
            }
            Duration timeout = smtp.midCommand() ? settings.commandTimeout() : settings.idleTimeout();
            if (System.nanoTime() - lastActivity < timeout.toNanos()) {
                return;
            }
            running = true;
        }
        turn(smtp::timedOut);
    }

    void closed() {
        synchronized (lock) {
            gone = true;
            inbound.clear();
            if (running) {
                return;
            }
            running = true;
        }
        if (smtp.holdsFile()) {
            turn(null);
        } else {
            // Releasing a message held in memory, or none, needs no worker.
            smtp.closed();
        }
    }

    /** The listener stops: say so to the client and close, once any command under way is done. */
    void stop() {
        synchronized (lock) {
            stopping = true;
            if (running || gone) {
                return;
            }
            running = true;
        }
        turn(null);
    }

    /**
     * I/O thread, holding the turn: runs {@code work}, which must not block, sends its replies,
     * then gives the step it returned (one that may block) and the rest of the turn to a worker,
     * or ends the turn.
     */
    private void inline(Supplier<Runnable> work) {
        Runnable blocking;
        try {
            blocking = work.get();
        } catch (RuntimeException e) {
            LOG.error("{}: session with {} failed", settings.healthName(), io.getRemoteAddress(), e);
            io.closeNow();
            synchronized (lock) {
                running = false;
            }
            return;
        }
        flush();
        if (blocking != null) {
            turn(blocking);
            return;
        }
        if (smtp.parked()) {
            // The delayed step takes the turn on.
            return;
        }
        synchronized (lock) {
            if (inbound.isEmpty() && !gone && !stopping) {
                running = false;
                lastActivity = System.nanoTime();
                return;
            }
        }
        // The listener stops, or the connection closed: a worker finishes the session.
        turn(null);
    }

    // ---- worker

    private void turn(Runnable first) {
        try {
            workers.execute(() -> run(first));
        } catch (RejectedExecutionException e) {
            // The listener is stopping, or every worker is busy: nothing can serve this client.
            io.closeNow();
            synchronized (lock) {
                running = false;
            }
        }
    }

    private void run(Runnable first) {
        try {
            if (first != null) {
                first.run();
                // A delayed step may leave pipelined input behind; it is handled before new input.
                smtp.process();
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("{}: session with {} failed", settings.healthName(), io.getRemoteAddress(), e);
            io.closeNow();
            synchronized (lock) {
                running = false;
            }
        }
    }

    private void drain() {
        while (!smtp.parked()) {
            byte[] next = next();
            if (next != null) {
                smtp.received(next);
                continue;
            }
            flush();
            if (release()) {
                return;
            }
        }
        flush();
    }

    /** The next received bytes, or null; handles a stop or a close in between. */
    private byte[] next() {
        boolean stop;
        synchronized (lock) {
            if (gone) {
                return null;
            }
            stop = stopping;
            stopping = false;
            if (!stop) {
                byte[] next = inbound.poll();
                if (next != null) {
                    queuedBytes -= next.length;
                    if (readsSuspended && queuedBytes < MAX_QUEUED_BYTES / 2) {
                        readsSuspended = false;
                        io.resumeRead();
                    }
                }
                return next;
            }
        }
        smtp.shutdown();
        return null;
    }

    /** Ends the turn unless more input came; the last turn after a close releases the session. */
    private boolean release() {
        boolean cleanUp;
        synchronized (lock) {
            if (!inbound.isEmpty() && !gone) {
                return false;
            }
            cleanUp = gone;
            if (!cleanUp) {
                running = false;
                lastActivity = System.nanoTime();
                return true;
            }
        }
        smtp.closed();
        return true;
    }

    @Override
    public void flush() {
        if (held.size() > 0) {
            io.write(IoBuffer.wrap(held.toByteArray()));
            held.reset();
        }
    }

    // ---- Channel, called by the session in its turn

    @Override
    public void send(byte[] reply) {
        held.writeBytes(reply);
        if (held.size() > MAX_HELD_REPLIES) {
            flush();
        }
    }

    @Override
    public void startTls(SSLContext context, List<String> protocols) {
        synchronized (lock) {
            plaintextClosed = true;
            inbound.clear();
            queuedBytes = 0;
        }
        pendingTls = SmtpIoHandler.filter(context, protocols);
        IoBuffer reply = IoBuffer.wrap(held.toByteArray());
        held.reset();
        tlsTrigger = reply;
        io.write(reply);
    }

    @Override
    public void close() {
        flush();
        closeRequested = System.nanoTime();
        io.closeOnFlush();
    }

    @Override
    public void later(Duration delay, Runnable step) {
        flush();
        try {
            timer.schedule(() -> turn(step), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            io.closeNow();
        }
    }
}
