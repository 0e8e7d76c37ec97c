package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a stored message (CRLF line ends) the way Maildir and mbox keep it: CRLF becomes LF, a
 * lone CR passes. For mbox it also applies mboxrd quoting: a line {@code From } or {@code >From }
 * (any number of {@code >}) gains one {@code >}, so that no line of a message is taken for a
 * message separator and the quoting can be undone exactly.
 *
 * <p>{@link #finish()} writes what is held back and leaves the underlying stream open, so one
 * mbox file takes many messages; {@link #close()} finishes and closes it.
 */
final class LfOutputStream extends OutputStream {

    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private final OutputStream out;
    private final boolean quoteFrom;
    private final byte[] held = new byte[1024];
    private int heldLength;
    private boolean atLineStart = true;
    private boolean pendingCr;
    private int last = -1;
    private long written;

    LfOutputStream(OutputStream out, boolean quoteFrom) {
        this.out = out;
        this.quoteFrom = quoteFrom;
    }

    @Override
    public void write(int b) throws IOException {
        if (pendingCr) {
            pendingCr = false;
            if (b != '\n') {
                emit('\r');
            }
        }
        if (b == '\r') {
            pendingCr = true;
        } else {
            emit(b & 0xff);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void emit(int b) throws IOException {
        if (!quoteFrom || !atLineStart) {
            put(b);
            if (b == '\n') {
                atLineStart = true;
            }
            return;
        }
        held[heldLength++] = (byte) b;
        int quotes = 0;
        while (quotes < heldLength && held[quotes] == '>') {
            quotes++;
        }
        int rest = heldLength - quotes;
        boolean prefix = rest <= FROM.length;
        for (int k = 0; prefix && k < rest; k++) {
            prefix = held[quotes + k] == FROM[k];
        }
        if (prefix && rest == FROM.length) {
            put('>');
            release();
            atLineStart = false;
        } else if (!prefix || heldLength == held.length) {
            release();
            atLineStart = b == '\n';
        }
    }

    private void release() throws IOException {
        for (int i = 0; i < heldLength; i++) {
            put(held[i] & 0xff);
        }
        heldLength = 0;
    }

    private void put(int b) throws IOException {
        out.write(b);
        last = b;
        written++;
    }

    /** Writes what is held back; the underlying stream stays open. */
    void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            emit('\r');
        }
        release();
    }

    /** The last byte written, or -1 if none. */
    int lastByte() {
        return last;
    }

    /** How many bytes were written to the underlying stream. */
    long written() {
        return written;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }
}
