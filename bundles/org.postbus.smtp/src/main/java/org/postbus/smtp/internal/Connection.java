package org.postbus.smtp.internal;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.postbus.protocol.ProtocolConnection;
import org.postbus.smtp.internal.session.Channel;
import org.postbus.smtp.internal.session.SmtpSession;

/**
 * Runs one {@link SmtpSession}, one step at a time and in order, and connects it to its MINA
 * session.
 *
 * <p>When bytes arrive and no turn is under way, the I/O thread takes the turn itself and handles
 * what needs no blocking (greeting, EHLO, MAIL, DATA and the message bytes while they fit in
 * memory, QUIT): most of a mail transaction then costs no hand-off between threads. At the first
 * step that may block (the directory at RCPT, the delivery at the end of the message, a spool
 * file), the turn goes to a worker, which runs that step and whatever input follows, and ends the
 * turn when the input runs dry. While a worker holds the turn the I/O thread only queues received
 * bytes. Replies are gathered and written when the input runs dry, so pipelined commands get their
 * replies together and in order (RFC 2920).
 */
final class Connection extends ProtocolConnection implements Channel {

    private static final int MAX_HELD_REPLIES = 16 * 1024;

    private final ListenerSettings settings;
    private SmtpSession smtp;

    /** Confined to the thread that holds the turn: the replies not yet written. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();

    Connection(IoSession io, ListenerSettings settings, Executor workers, ScheduledExecutorService timer) {
        super(io, settings, workers, timer);
        this.settings = settings;
    }

    void attach(SmtpSession session) {
        this.smtp = session;
    }

    @Override
    protected boolean stepsOnIoThread() {
        return true;
    }

    @Override
    protected void greet() {
        smtp.greet();
    }

    @Override
    protected Runnable receivedWithoutBlocking(byte[] bytes) {
        return smtp.receivedWithoutBlocking(bytes);
    }

    @Override
    protected void handle(byte[] bytes) {
        smtp.received(bytes);
    }

    @Override
    protected void resume() {
        smtp.process();
    }

    @Override
    protected boolean parked() {
        return smtp.parked();
    }

    @Override
    protected void shutdown() {
        smtp.shutdown();
    }

    @Override
    protected void release() {
        smtp.closed();
    }

    /** Releasing a message held in memory, or none, needs no worker. */
    @Override
    protected boolean releasesWithoutBlocking() {
        return !smtp.holdsFile();
    }

    @Override
    protected Duration timeout() {
        return smtp.midCommand() ? settings.commandTimeout() : settings.idleTimeout();
    }

    @Override
    protected void timedOut() {
        smtp.timedOut();
    }

    @Override
    public void flush() {
        if (held.size() > 0) {
            io().write(IoBuffer.wrap(held.toByteArray()));
            held.reset();
        }
    }

    @Override
    protected byte[] takeHeld() {
        byte[] bytes = held.toByteArray();
        held.reset();
        return bytes;
    }

    // ---- Channel, called by the session in its turn

    @Override
    public void send(byte[] reply) {
        held.writeBytes(reply);
        if (held.size() > MAX_HELD_REPLIES) {
            flush();
        }
    }
}
