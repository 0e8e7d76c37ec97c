package org.postbus.smtp.internal.message;

import java.io.IOException;
import org.postbus.api.store.MessageContent;
import org.postbus.smtp.internal.codec.ByteSink;
import org.postbus.smtp.internal.codec.LineEndNormalizer;

/**
 * Collects one message as it arrives, after DATA or over BDAT chunks: the trace field first,
 * then the client's bytes with CRLF line ends, into a {@link Spool}. Past the size limit the
 * bytes are counted and dropped, and the spool is released at once.
 */
public final class MessageBuilder implements ByteSink, AutoCloseable {

    private final Spool spool;
    private final LineEndNormalizer normalizer;
    private final long maxSize;
    private long received;

    /**
     * @param spool where the message goes
     * @param maxSize the most bytes the client may send
     * @param traceField the {@code Received:} field, written first
     */
    public MessageBuilder(Spool spool, long maxSize, byte[] traceField) {
        this.spool = spool;
        this.normalizer = new LineEndNormalizer(spool);
        this.maxSize = maxSize;
        spool.write(traceField, 0, traceField.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (tooBig()) {
            received += length;
            return;
        }
        received += length;
        if (tooBig()) {
            spool.close();
            return;
        }
        normalizer.write(bytes, offset, length);
    }

    /** The bytes the client sent so far, trace field not included. */
    public long received() {
        return received;
    }

    /**
     * Whether {@code more} bytes from the client keep the message in memory. Line ends are made
     * CRLF on the way, which at most doubles them; past the size limit bytes are only counted.
     */
    @Override
    public boolean inMemory(long more) {
        if (spool.onDisk()) {
            return false;
        }
        return tooBig() || received + more > maxSize || spool.inMemory(2 * more + 1);
    }

    /** Whether the message was moved to a file as it grew, so releasing it touches the disk. */
    public boolean onDisk() {
        return spool.onDisk();
    }

    /** Whether the client sent more than the limit. */
    public boolean tooBig() {
        return received > maxSize;
    }

    /**
     * Ends the message.
     *
     * @return its content, trace field included, readable until {@link #close()}
     * @throws IOException if it could not be spooled
     */
    public MessageContent finish() throws IOException {
        normalizer.finish();
        return spool.finish();
    }

    /** Releases the spooled message. */
    @Override
    public void close() {
        spool.close();
    }
}
