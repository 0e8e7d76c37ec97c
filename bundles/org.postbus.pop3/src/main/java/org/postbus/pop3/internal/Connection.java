package org.postbus.pop3.internal;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.postbus.pop3.internal.session.Channel;
import org.postbus.pop3.internal.session.Pop3Session;
import org.postbus.protocol.ProtocolConnection;
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
final class Connection extends ProtocolConnection implements Channel {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Responses are held up to this size, then written. */
    private static final int FLUSH_AT = 64 * 1024;
    /** Bytes queued for the client above which a worker waits before writing more. */
    static final int HIGH_WATER = 1 << 20;

    private final ListenerSettings settings;
    private Pop3Session pop3;

    /** Worker-confined: the responses not yet written, and the writes not yet done. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private final ArrayDeque<WriteFuture> writes = new ArrayDeque<>();

    Connection(IoSession io, ListenerSettings settings, Executor workers, ScheduledExecutorService timer) {
        super(io, settings, workers, timer);
        this.settings = settings;
    }

    void attach(Pop3Session session) {
        this.pop3 = session;
    }

    @Override
    protected void greet() {
        pop3.greet();
    }

    @Override
    protected void handle(byte[] bytes) {
        pop3.received(bytes);
    }

    @Override
    protected void resume() {
        pop3.process();
    }

    @Override
    protected boolean parked() {
        return pop3.parked();
    }

    @Override
    protected void shutdown() {
        pop3.shutdown();
    }

    @Override
    protected void release() {
        pop3.closed();
    }

    /** Releases the maildrop even when no turn comes to do it after the close. */
    @Override
    protected void abandoned() {
        pop3.closed();
    }

    @Override
    protected Duration timeout() {
        return pop3.midCommand() ? settings.commandTimeout() : settings.idleTimeout();
    }

    @Override
    protected void timedOut() {
        pop3.timedOut();
    }

    @Override
    public void flush() {
        if (held.size() > 0) {
            WriteFuture write = io().write(IoBuffer.wrap(held.toByteArray()));
            held.reset();
            writes.add(write);
            while (!writes.isEmpty() && writes.peek().isDone()) {
                writes.poll();
            }
        }
    }

    @Override
    protected byte[] takeHeld() {
        byte[] bytes = held.toByteArray();
        held.reset();
        return bytes;
    }

    /**
     * Waits while too much is queued for the client. A client that reads nothing for the command
     * timeout is disconnected.
     */
    private boolean awaitWritable() {
        IoSession io = io();
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
}
