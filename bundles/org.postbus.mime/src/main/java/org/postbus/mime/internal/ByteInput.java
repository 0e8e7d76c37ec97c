package org.postbus.mime.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * A forward-only buffered reader over a message that knows its byte offset and how many line
 * feeds it has passed, and can look at the start of a line before consuming it (to spot
 * boundaries). Lines end at LF; a CR before it is part of the line end.
 */
final class ByteInput {

    /** The largest buffer a parse starts with; a whole small message fits in one read. */
    static final int MAX_BUFFER = 64 * 1024;
    private static final int MIN_BUFFER = 512;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private long base;
    private boolean eof;
    private long lineFeeds;

    /**
     * @param sizeHint how many bytes the caller expects to read (the message size, or a guess
     *     for a header), so that a small message does not cost a 64 KiB buffer per parse
     */
    ByteInput(InputStream in, long sizeHint) {
        this.in = in;
        this.buf = new byte[(int) Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, sizeHint + 1))];
    }

    /** The offset of the next byte. */
    long position() {
        return base + pos;
    }

    /** How many line feeds have been consumed. */
    long lineFeeds() {
        return lineFeeds;
    }

    /** Whether all bytes have been consumed. */
    boolean atEnd() throws IOException {
        return !ensure(1);
    }

    /** Makes at least {@code n} bytes available if the stream has them; returns whether it has. */
    private boolean ensure(int n) throws IOException {
        if (n > buf.length) {
            // a look-ahead longer than a small buffer (a long boundary): grow, keeping what is read
            buf = java.util.Arrays.copyOf(buf, Math.max(n, Math.min(MAX_BUFFER, buf.length * 2)));
        }
        while (limit - pos < n && !eof) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                base += pos;
                limit -= pos;
                pos = 0;
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /** The byte {@code i} ahead of the position, or -1 past the end. */
    int peek(int i) throws IOException {
        return ensure(i + 1) ? buf[pos + i] & 0xff : -1;
    }

    /** Whether the bytes ahead start with {@code prefix}. */
    boolean startsWith(byte[] prefix) throws IOException {
        if (!ensure(prefix.length)) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Consumes the rest of the current line and its line end, appending at most {@code cap} bytes
     * of it (without the line end) to {@code out} when that is not null.
     *
     * @return the length of the line end consumed: 2 for CRLF, 1 for LF, 0 at the end of input
     */
    int readLine(LineBuffer out, int cap) throws IOException {
        int last = -1;
        while (ensure(1)) {
            int start = pos;
            int lf = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int end = lf < 0 ? limit : lf;
            if (out != null) {
                out.append(buf, start, end - start, cap);
            }
            if (end > start) {
                last = buf[end - 1];
            }
            if (lf >= 0) {
                pos = lf + 1;
                lineFeeds++;
                if (last == '\r') {
                    if (out != null) {
                        out.dropTrailingCr();
                    }
                    return 2;
                }
                return 1;
            }
            pos = limit;
        }
        return 0;
    }

    /** Consumes everything to the end of input, counting line feeds. */
    void skipToEnd() throws IOException {
        while (ensure(1)) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    lineFeeds++;
                }
            }
            pos = limit;
        }
    }
}
