package org.postbus.imap.internal;

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
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.postbus.imap.internal.codec.DeflateFilter;
import org.postbus.imap.internal.session.Channel;
import org.postbus.imap.internal.session.ImapSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link ImapSession} on worker threads, one turn at a time and in order, and connects
 * it to its MINA session. The I/O thread only queues received bytes; a worker decodes them and
 * runs the commands, which may block (store, directory). Replies are gathered and written when
 * the input runs dry. A client that sends faster than its commands run is stopped from reading;
 * one that reads slower than its fetches produce makes the worker wait.
 */
final class Connection implements Channel {

    /** The session attribute that holds the connection. */
    static final AttributeKey KEY = new AttributeKey(Connection.class, "connection");

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final int MAX_QUEUED_BYTES = 1 << 20;
    private static final int MAX_HELD_BYTES = 64 * 1024;
    private static final long MAX_SCHEDULED_WRITE_BYTES = 4L << 20;
    private static final long CLOSE_GRACE_NANOS = 5_000_000_000L;

    private final IoSession io;
    private final ListenerSettings settings;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private ImapSession imap;

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

    /** Worker-confined: the output not yet written; null while nothing is held. */
    private ByteArrayOutputStream held;
    private volatile IoBuffer filterTrigger;
    private volatile IoFilter pendingFilter;
    private volatile String pendingFilterName;
    private volatile long closeRequested;

    Connection(IoSession io, ListenerSettings settings, Executor workers, ScheduledExecutorService timer) {
        this.io = io;
        this.settings = settings;
        this.workers = workers;
        this.timer = timer;
    }

    void attach(ImapSession session) {
        this.imap = session;
    }

    // ---- I/O thread

    void opened() {
        synchronized (lock) {
            running = true;
        }
        turn(imap::greet);
    }

    void received(byte[] bytes) {
        synchronized (lock) {
            if (inputClosed || gone) {
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

    /** A write completed; after the OK to STARTTLS or COMPRESS the filter goes in before any further read. */
    void sent(Object message) {
        if (message != null && message == filterTrigger) {
            filterTrigger = null;
            try {
                if (pendingFilter instanceof DeflateFilter && io.getFilterChain().contains("tls")) {
                    io.getFilterChain().addAfter("tls", pendingFilterName, pendingFilter);
                } else {
                    io.getFilterChain().addFirst(pendingFilterName, pendingFilter);
                }
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
    void idle() {
        long closing = closeRequested;
        if (closing != 0 && System.nanoTime() - closing > CLOSE_GRACE_NANOS) {
            io.closeNow();
            return;
        }
        synchronized (lock) {
            if (running || gone) {
                return;
            }
            Duration timeout = imap.timeout();
            if (System.nanoTime() - lastActivity < timeout.toNanos()) {
                return;
            }
            running = true;
        }
        turn(imap::timedOut);
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

    /** The listener stops: say BYE once any command under way is done. */
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

    // ---- any thread

    @Override
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
                imap.process();
            }
            drain();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: session with {} failed", settings.healthName(), io.getRemoteAddress(), e);
            io.closeNow();
            synchronized (lock) {
                running = false;
            }
        }
    }

    private void drain() {
        while (!imap.parked()) {
            byte[] next = next();
            if (next != null) {
                imap.received(next);
                continue;
            }
            if (takeWake()) {
                imap.woken();
                continue;
            }
            flush();
            if (release()) {
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
        imap.shutdown();
        return null;
    }

    private boolean release() {
        boolean cleanUp;
        synchronized (lock) {
            if ((!inbound.isEmpty() || woken) && !gone) {
                return false;
            }
            cleanUp = gone;
            if (!cleanUp) {
                running = false;
                lastActivity = System.nanoTime();
                return true;
            }
        }
        imap.closed();
        return true;
    }

    @Override
    public void flush() {
        if (held != null && held.size() > 0) {
            WriteFuture written = io.write(IoBuffer.wrap(held.toByteArray()));
            held = null;
            if (io.getScheduledWriteBytes() > MAX_SCHEDULED_WRITE_BYTES) {
                // A large FETCH to a slow reader: wait rather than pile the message up in memory.
                written.awaitUninterruptibly(settings.commandTimeout().toMillis());
                if (!written.isDone()) {
                    io.closeNow();
                }
            }
        }
    }

    // ---- Channel, called by the session in its turn

    @Override
    public void send(byte[] bytes) {
        if (held == null) {
            held = new ByteArrayOutputStream(Math.max(256, Math.min(bytes.length, MAX_HELD_BYTES)));
        }
        held.writeBytes(bytes);
        if (held.size() > MAX_HELD_BYTES) {
            flush();
        }
    }

    @Override
    public void startTls(SSLContext context, List<String> protocols) {
        installAfterReply("tls", ImapIoHandler.filter(context, protocols));
    }

    @Override
    public void startCompression() {
        installAfterReply("deflate", new DeflateFilter());
    }

    private void installAfterReply(String name, IoFilter filter) {
        synchronized (lock) {
            inputClosed = true;
            inbound.clear();
            queuedBytes = 0;
        }
        pendingFilter = filter;
        pendingFilterName = name;
        IoBuffer reply = IoBuffer.wrap(held == null ? new byte[0] : held.toByteArray());
        held = null;
        filterTrigger = reply;
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
