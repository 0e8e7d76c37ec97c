package org.postbus.protocol;

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
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one protocol session in turns, one thread at a time and in order, and connects it to its
 * MINA session. {@link ProtocolIoHandler} calls the public methods on the I/O threads; none of
 * them blocks.
 *
 * <p>The I/O thread queues the received bytes; a worker takes the turn, hands them to the session
 * ({@link #handle}), whose commands may block (store, directory), and ends the turn when the
 * input runs dry. A protocol that offers {@link #stepsOnIoThread()} lets the I/O thread run the
 * first, non-blocking steps of a turn itself and give the turn to a worker only at a step that may
 * block. A client that sends faster than its commands run is stopped from reading. A protocol
 * holds its own output and writes it in {@link #flush()}, which the turn calls when the input
 * runs dry. A filter that starts after a reply (TLS, compression) goes in once that reply is
 * written, and the input received in between is dropped (RFC 3207 4.2 and its likes).
 */
public abstract class ProtocolConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolConnection.class);
    private static final int MAX_QUEUED_BYTES = 1 << 20;
    /** How long a connection being closed may take to send its last replies. */
    private static final long CLOSE_GRACE_NANOS = 5_000_000_000L;

    private final IoSession io;
    private final ProtocolSettings settings;
    private final Executor workers;
    private final ScheduledExecutorService timer;

    private final Object lock = new Object();
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private long queuedBytes;
    private boolean running;
    private boolean readsSuspended;
    private boolean inputClosed;
    private boolean gone;
    private boolean stopping;
    private boolean woken;
    private long lastActivity = System.nanoTime();

    private volatile IoBuffer filterTrigger;
    private volatile IoFilter pendingFilter;
    private volatile String pendingFilterName;
    private volatile long closeRequested;

    /**
     * @param io the MINA session
     * @param settings the listener's configuration
     * @param workers runs the turns that may block
     * @param timer runs delayed steps
     */
    protected ProtocolConnection(IoSession io, ProtocolSettings settings, Executor workers,
            ScheduledExecutorService timer) {
        this.io = io;
        this.settings = settings;
        this.workers = workers;
        this.timer = timer;
    }

    // ---- what a protocol's session does, in its turn

    /** Greets the client; on a worker, or on the I/O thread with {@link #stepsOnIoThread()}. */
    protected abstract void greet();

    /** Hands received bytes to the session. */
    protected abstract void handle(byte[] bytes);

    /** Goes on with input a delayed or blocking step left behind. */
    protected abstract void resume();

    /** Whether the session waits for a delayed step, which takes the turn on. */
    protected abstract boolean parked();

    /** The listener stops: tell the client and close. */
    protected abstract void shutdown();

    /** The connection is gone: release what the session holds. */
    protected abstract void release();

    /** How long the client may now stay silent. */
    protected abstract Duration timeout();

    /** The client stayed silent too long. */
    protected abstract void timedOut();

    /** Something the session waits for happened (see {@link #wake()}). */
    protected void woken() {
    }

    /** No turn will come any more (a failure, no worker): release what must not wait for the close. */
    protected void abandoned() {
    }

    /** Whether a close needs no worker to release the session. */
    protected boolean releasesWithoutBlocking() {
        return false;
    }

    /** Whether the I/O thread runs a turn's first steps when they need no blocking. */
    protected boolean stepsOnIoThread() {
        return false;
    }

    /**
     * I/O thread, holding the turn, with {@link #stepsOnIoThread()}: handles received bytes as far
     * as that needs no blocking.
     *
     * @return the step that may block, for a worker, which then goes on with the turn; or null.
     *     By default nothing is done here: the worker handles the bytes.
     */
    protected Runnable receivedWithoutBlocking(byte[] bytes) {
        return () -> handle(bytes);
    }

    /** Writes the output held so far. */
    public abstract void flush();

    /** Takes the output held so far, unwritten, to write it as the reply that starts a filter. */
    protected abstract byte[] takeHeld();

    /** Adds a filter that starts after a reply; first in the chain unless a protocol says otherwise. */
    protected void install(IoFilterChain chain, String name, IoFilter filter) {
        chain.addFirst(name, filter);
    }

    /** The MINA session. */
    protected final IoSession io() {
        return io;
    }

    // ---- I/O thread

    /** The connection is open: greet. */
    public void opened() {
        synchronized (lock) {
            running = true;
        }
        if (stepsOnIoThread()) {
            inline(() -> {
                greet();
                return null;
            });
        } else {
            turn(this::greet);
        }
    }

    /** Bytes arrived from the client. */
    public void received(byte[] bytes) {
        boolean inline = stepsOnIoThread();
        synchronized (lock) {
            if (inputClosed || gone) {
                return;
            }
            lastActivity = System.nanoTime();
            if (running || !inline) {
                inbound.add(bytes);
                queuedBytes += bytes.length;
                if (queuedBytes > MAX_QUEUED_BYTES && !readsSuspended) {
                    readsSuspended = true;
                    io.suspendRead();
                }
                if (running) {
                    return;
                }
            }
            running = true;
        }
        if (inline) {
            inline(() -> receivedWithoutBlocking(bytes));
        } else {
            turn(null);
        }
    }

    /** A write completed; after the reply that starts a filter, the filter goes in before any further read. */
    public void sent(Object message) {
        if (message != null && message == filterTrigger) {
            filterTrigger = null;
            try {
                install(io.getFilterChain(), pendingFilterName, pendingFilter);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot start {} with {}: {}", settings.healthName(), pendingFilterName,
                        io.getRemoteAddress(), e.toString());
                io.closeNow();
                return;
            }
            synchronized (lock) {
                inputClosed = false;
            }
        }
    }

    /** Checked every few seconds while the client sends nothing. */
    public void idle() {
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
            if (System.nanoTime() - lastActivity < timeout().toNanos()) {
                return;
            }
            running = true;
        }
        turn(this::timedOut);
    }

    /** The connection is closed. */
    public void closed() {
        synchronized (lock) {
            gone = true;
            inbound.clear();
            if (running) {
                return;
            }
            running = true;
        }
        if (releasesWithoutBlocking()) {
            release();
        } else {
            turn(null);
        }
    }

    /** The listener stops: say so to the client and close, once any command under way is done. */
    public void stop() {
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
        if (parked()) {
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

    // ---- any thread

    /** Gives the session a turn to see what happened (see {@link #woken()}). */
    public void wake() {
        synchronized (lock) {
            woken = true;
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
                abandoned();
            }
        }
    }

    private void run(Runnable first) {
        try {
            if (first != null) {
                first.run();
                // A delayed step may leave pipelined input behind; it is handled before new input.
                resume();
            }
            drain();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: session with {} failed", settings.healthName(), io.getRemoteAddress(), e);
            io.closeNow();
            abandoned();
            synchronized (lock) {
                running = false;
            }
        }
    }

    private void drain() {
        while (!parked()) {
            byte[] next = next();
            if (next != null) {
                handle(next);
                continue;
            }
            if (takeWake()) {
                woken();
                continue;
            }
            flush();
            if (endTurn()) {
                return;
            }
        }
        flush();
    }

    private boolean takeWake() {
        synchronized (lock) {
            boolean w = woken && !gone;
            woken = false;
            return w;
        }
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
        shutdown();
        return null;
    }

    /** Ends the turn unless more input came; the last turn after a close releases the session. */
    private boolean endTurn() {
        boolean cleanUp;
        synchronized (lock) {
            // A stop that came after the last look for input is handled now, not lost with the turn.
            if ((!inbound.isEmpty() || woken || stopping) && !gone) {
                return false;
            }
            cleanUp = gone;
            if (!cleanUp) {
                running = false;
                lastActivity = System.nanoTime();
                return true;
            }
        }
        release();
        return true;
    }

    // ---- for the session, in its turn

    /** Writes what is held as the reply, then starts TLS before reading on. */
    public void startTls(SSLContext context, List<String> protocols) {
        installAfterReply("tls", ProtocolIoHandler.tlsFilter(context, protocols));
    }

    /** Writes what is held as the reply, then adds {@code filter} before reading on. */
    protected final void installAfterReply(String name, IoFilter filter) {
        synchronized (lock) {
            inputClosed = true;
            inbound.clear();
            queuedBytes = 0;
        }
        pendingFilter = filter;
        pendingFilterName = name;
        IoBuffer reply = IoBuffer.wrap(takeHeld());
        filterTrigger = reply;
        io.write(reply);
    }

    /** Writes what is held, then closes once it is sent (or after a grace period). */
    public void close() {
        flush();
        closeRequested = System.nanoTime();
        io.closeOnFlush();
    }

    /** Runs {@code step} in a turn after {@code delay}. */
    public void later(Duration delay, Runnable step) {
        flush();
        try {
            timer.schedule(() -> turn(step), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            io.closeNow();
        }
    }
}
