package org.postbus.smtp.internal.codec;

/**
 * Stores a message with CRLF line ends only: a bare CR or a bare LF becomes CRLF (RFC 5321
 * 2.3.8 allows CR and LF only as CRLF). A relayed copy then never carries a bare line break that
 * a receiving server could read as the end of the data.
 */
public final class LineEndNormalizer implements ByteSink {

    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteSink out;
    private boolean pendingCr;

    /** @param out where the normalised bytes go */
    public LineEndNormalizer(ByteSink out) {
        this.out = out;
    }

    @Override
    public void write(byte[] b, int offset, int length) {
        int run = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                out.write(CRLF, 0, 2);
                run = c == '\n' ? i + 1 : i;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                flush(b, run, i);
                pendingCr = true;
                run = i + 1;
            } else if (c == '\n') {
                flush(b, run, i);
                out.write(CRLF, 0, 2);
                run = i + 1;
            }
        }
        flush(b, run, end);
    }

    /** Ends the message: a CR left at its very end becomes CRLF. */
    public void finish() {
        if (pendingCr) {
            pendingCr = false;
            out.write(CRLF, 0, 2);
        }
    }

    private void flush(byte[] b, int from, int to) {
        if (to > from) {
            out.write(b, from, to - from);
        }
    }
}
