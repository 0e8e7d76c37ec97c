package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message written with LF line ends (as Maildir and mbox keep it) as the store wants it,
 * with CRLF: a LF not preceded by CR becomes CRLF; CRLF and lone CR pass unchanged. For mbox it
 * also undoes mboxrd quoting: a line {@code >From } or {@code >>From } loses one {@code >}.
 */
final class CrlfInputStream extends InputStream {

    /** Longest run of {@code >} looked at for mboxrd quoting. */
    private static final int MAX_QUOTES = 1000;
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private final InputStream in;
    private final boolean unquoteFrom;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private boolean eof;
    private int previous = '\n';
    private boolean pendingLf;

    CrlfInputStream(InputStream in, boolean unquoteFrom) {
        this.in = in;
        this.unquoteFrom = unquoteFrom;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (pendingLf) {
                b[off + n++] = '\n';
                pendingLf = false;
                continue;
            }
            if (pos >= limit && !fill(1)) {
                break;
            }
            if (unquoteFrom && previous == '\n') {
                unquoteLine();
            }
            byte c = buf[pos++];
            if (c == '\n' && previous != '\r') {
                b[off + n++] = '\r';
                pendingLf = true;
            } else {
                b[off + n++] = c;
            }
            previous = c;
        }
        return n == 0 ? -1 : n;
    }

    /** At a line start: drops one {@code >} from {@code >+From }. */
    private void unquoteLine() throws IOException {
        int quotes = 0;
        while (fill(quotes + 1) && buf[pos + quotes] == '>') {
            if (++quotes > MAX_QUOTES) {
                return;
            }
        }
        if (quotes == 0 || !fill(quotes + FROM.length)) {
            return;
        }
        for (int k = 0; k < FROM.length; k++) {
            if (buf[pos + quotes + k] != FROM[k]) {
                return;
            }
        }
        pos++;
        previous = '>';
    }

    /** Makes at least {@code n} bytes available unless the input ends first. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
