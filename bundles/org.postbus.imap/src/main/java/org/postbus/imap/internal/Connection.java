package org.postbus.imap.internal;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.postbus.imap.internal.codec.DeflateFilter;
import org.postbus.imap.internal.session.Channel;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.protocol.ProtocolConnection;

/**
 * Runs one {@link ImapSession} on worker threads, one turn at a time and in order, and connects
 * it to its MINA session. The I/O thread only queues received bytes; a worker decodes them and
 * runs the commands, which may block (store, directory). Replies are gathered and written when
 * the input runs dry. A client that reads slower than its fetches produce makes the worker wait.
 */
final class Connection extends ProtocolConnection implements Channel {

    private static final int MAX_HELD_BYTES = 64 * 1024;
    private static final long MAX_SCHEDULED_WRITE_BYTES = 4L << 20;

    private final ListenerSettings settings;
    private ImapSession imap;

    /** Worker-confined: the output not yet written; null while nothing is held. */
    private ByteArrayOutputStream held;

    Connection(IoSession io, ListenerSettings settings, Executor workers, ScheduledExecutorService timer) {
        super(io, settings, workers, timer);
        this.settings = settings;
    }

    void attach(ImapSession session) {
        this.imap = session;
    }

    @Override
    protected void greet() {
        imap.greet();
    }

    @Override
    protected void handle(byte[] bytes) {
        imap.received(bytes);
    }

    @Override
    protected void resume() {
        imap.process();
    }

    @Override
    protected boolean parked() {
        return imap.parked();
    }

    @Override
    protected void shutdown() {
        imap.shutdown();
    }

    @Override
    protected void release() {
        imap.closed();
    }

    @Override
    protected Duration timeout() {
        return imap.timeout();
    }

    @Override
    protected void timedOut() {
        imap.timedOut();
    }

    @Override
    protected void woken() {
        imap.woken();
    }

    /** COMPRESS under TLS goes after it: the compressed bytes are what TLS encrypts. */
    @Override
    protected void install(IoFilterChain chain, String name, IoFilter filter) {
        if (filter instanceof DeflateFilter && chain.contains("tls")) {
            chain.addAfter("tls", name, filter);
        } else {
            chain.addFirst(name, filter);
        }
    }

    @Override
    public void flush() {
        if (held != null && held.size() > 0) {
            IoSession io = io();
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

    @Override
    protected byte[] takeHeld() {
        byte[] bytes = held == null ? new byte[0] : held.toByteArray();
        held = null;
        return bytes;
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
    public void startCompression() {
        installAfterReply("deflate", new DeflateFilter());
    }
}
