package org.postbus.smtp.internal.codec;

import org.postbus.protocol.InputBuffer;

/**
 * Reads the message after DATA (RFC 5321 4.1.1.4, 4.5.2): removes the dot-stuffing and finds
 * the end of the data, which is CRLF "." CRLF and nothing else. A line starts only after CRLF:
 * "." after a bare LF or a bare CR is ordinary text, so LF.LF, CR.CR, LF.CRLF and their mixtures
 * never end the data (SMTP smuggling). The bytes pass on unchanged otherwise; the CRLF before the
 * final dot belongs to the message.
 */
public final class DataReader {

    private enum State {
        /** After CRLF, or at the very start: a dot here is special. */
        LINE_START,
        /** A dot at the start of a line. */
        DOT,
        /** A dot and a CR at the start of a line. */
        DOT_CR,
        /** Inside a line. */
        TEXT,
        /** A CR inside a line, not yet passed on. */
        CR
    }

    private static final byte[] CR_BYTE = {'\r'};
    private static final byte[] CRLF = {'\r', '\n'};

    private State state = State.LINE_START;

    /** Starts a new message, right after the 354 reply. */
    public void reset() {
        state = State.LINE_START;
    }

    /**
     * Passes the message bytes in {@code in} to {@code sink}, consuming them, up to the end of the
     * data if it is there.
     *
     * @return whether the end of the data was reached; the bytes after it stay in {@code in}
     */
    public boolean read(InputBuffer in, ByteSink sink) {
        byte[] b = in.array();
        int i = in.position();
        int limit = in.limit();
        int run = i;
        while (i < limit) {
            byte c = b[i];
            switch (state) {
                case TEXT -> {
                    if (c == '\r') {
                        flush(sink, b, run, i);
                        state = State.CR;
                        run = i + 1;
                    }
                    i++;
                }
                case LINE_START -> {
                    if (c == '.') {
                        state = State.DOT;
                        i++;
                        run = i;
                    } else {
                        state = State.TEXT;
                        run = i;
                    }
                }
                case DOT -> {
                    if (c == '\r') {
                        state = State.DOT_CR;
                        i++;
                        run = i;
                    } else {
                        // RFC 5321 4.5.2: the first dot of a line with more on it is removed.
                        state = State.TEXT;
                        run = i;
                    }
                }
                case DOT_CR -> {
                    if (c == '\n') {
                        in.skip(i + 1 - in.position());
                        state = State.LINE_START;
                        return true;
                    }
                    // ".<CR>x": the dot is stuffing, the CR is pending as inside any line.
                    state = State.CR;
                    run = i;
                }
                case CR -> {
                    if (c == '\n') {
                        sink.write(CRLF, 0, 2);
                        state = State.LINE_START;
                        i++;
                        run = i;
                    } else {
                        sink.write(CR_BYTE, 0, 1);
                        state = c == '\r' ? State.CR : State.TEXT;
                        run = c == '\r' ? i + 1 : i;
                        i += c == '\r' ? 1 : 0;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        if (state == State.TEXT) {
            flush(sink, b, run, limit);
        }
        in.skip(limit - in.position());
        return false;
    }

    private static void flush(ByteSink sink, byte[] b, int from, int to) {
        if (to > from) {
            sink.write(b, from, to - from);
        }
    }
}
