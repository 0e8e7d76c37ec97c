package org.postbus.pop3.internal;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.postbus.pop3.internal.session.Channel;
import org.postbus.pop3.internal.session.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Pop3Session} on worker threads, in order, and connects it to its MINA session.
 *
 * <p>The I/O thread only queues the received bytes; one worker at a time then decodes them and
 * runs the commands, which may block (directory, store). Responses are gathered and written when
 * the input runs dry, so pipelined commands (RFC 2449 PIPELINING) get their responses together
 * and in order. A large response is written in chunks, and the worker waits while more than
 * {@link #HIGH_WATER} bytes are queued for the client, so a slow reader costs no memory.
 */
final class Connection implements Channel {

    /** The session attribute that holds the connection. */
    static final AttributeKey KEY = new AttributeKey(Connection.class, "connection");

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final int MAX_QUEUED_BYTES = 1 << 20;
    /** Responses are held up to this size, then written. */
    private static final int FLUSH_AT = 64 * 1024;
    /** Bytes queued for the client above which a worker waits before writing more. */
    static final int HIGH_WATER = 1 << 20;
    /** How long a connection being closed may take to send its last responses. */
    private static final long CLOSE_GRACE_NANOS = 5_000_000_000L;

    private final IoSession io;
    private final ListenerSettings settings;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private Pop3Session pop3;

    private final Object lock = new Object();
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private long queuedBytes;
    private boolean running;
    private boolean readsSuspended;
    private boolean plaintextClosed;
    private boolean gone;
    private boolean stopping;
    private long lastActivity = System.nanoTime();

    /** Worker-confined: the responses not yet written, and the writes not yet done. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private final ArrayDeque<WriteFuture> writes = new ArrayDeque<>();
    private volatile IoBuffer tlsTrigger;
    private volatile SslFilter pendingTls;
    private volatile long closeRequested;

    Connection(IoSession io, ListenerSettings settings, Executor workers, ScheduledExecutorService timer) {
        this.io = io;
        this.settings = settings;
        this.workers = workers;
        this.timer = timer;
    }

    void attach(Pop3Session session) {
        this.pop3 = session;
    }

    // ---- I/O thread

    /** The connection is open: greet. */
    void opened() {
        synchronized (lock) {
            running = true;
        }
        turn(pop3::greet);
    }

    void received(byte[] bytes) {
        synchronized (lock) {
            if (plaintextClosed || gone) {
                return;
            }
            inbound.add(bytes);
            queuedBytes += bytes.length;
            lastActivity = System.nanoTime();
            if (queuedBytes > MAX_QUEUED_BYTES && !readsSuspended) {
                readsSuspended = true;
                io.suspendRead();
            }
            if (running) {
                return;
            }
            running = true;
        }
        turn(null);
    }

    /** A write completed; after STLS's +OK the TLS filter goes in before any further read. */
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
            // The last responses could not be sent (a client that reads nothing): close without them.
            io.closeNow();
            return;
        }
        synchronized (lock) {
            if (running || gone) {
                return;
            }
            Duration timeout = pop3.midCommand() ? settings.commandTimeout() : settings.idleTimeout();
            if (System.nanoTime() - lastActivity < timeout.toNanos()) {
                return;
            }
            running = true;
        }
        turn(pop3::timedOut);
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
        turn(null);
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
            if (first == null) {
                // Still release what the session holds (its maildrop), since no turn will.
                pop3.closed();
            }
        }
    }

    private void run(Runnable first) {
        try {
            if (first != null) {
                first.run();
                // A delayed step may leave pipelined input behind; it is handled before new input.
                pop3.process();
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("{}: session with {} failed", settings.healthName(), io.getRemoteAddress(), e);
            io.closeNow();
            pop3.closed();
            synchronized (lock) {
                running = false;
            }
        }
    }

    private void drain() {
        while (!pop3.parked()) {
            byte[] next = next();
            if (next != null) {
                pop3.received(next);
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
        pop3.shutdown();
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
        pop3.closed();
        return true;
    }

    private void flush() {
        if (held.size() > 0) {
            WriteFuture write = io.write(IoBuffer.wrap(held.toByteArray()));
            held.reset();
            writes.add(write);
            while (!writes.isEmpty() && writes.peek().isDone()) {
                writes.poll();
            }
        }
    }

    /**
     * Waits while too much is queued for the client. A client that reads nothing for the command
     * timeout is disconnected.
     */
    private boolean awaitWritable() {
        while (io.getScheduledWriteBytes() > HIGH_WATER) {
            WriteFuture oldest = writes.poll();
            if (oldest == null) {
                break;
            }
            if (!oldest.awaitUninterruptibly(settings.commandTimeout().toMillis())) {
                LOG.debug("{}: {} reads too slowly, closing", settings.healthName(), io.getRemoteAddress());
                io.closeNow();
                return false;
            }
        }
        return io.isConnected() && !io.isClosing();
    }

    // ---- Channel, called by the session in its turn

    @Override
    public boolean write(byte[] bytes, int offset, int length) {
        held.write(bytes, offset, length);
        if (held.size() >= FLUSH_AT) {
            flush();
            return awaitWritable();
        }
        return true;
    }

    @Override
    public void startTls(SSLContext context, List<String> protocols) {
        synchronized (lock) {
            plaintextClosed = true;
            inbound.clear();
            queuedBytes = 0;
        }
        pendingTls = Pop3IoHandler.filter(context, protocols);
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
