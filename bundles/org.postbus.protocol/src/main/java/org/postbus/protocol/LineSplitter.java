package org.postbus.protocol;

/**
 * Finds command lines, which end with LF, in an {@link InputBuffer}. A line longer than the limit
 * is skipped as it arrives, never buffered. What makes a line valid (CRLF only, control
 * characters, the charset) is the protocol's reader's business.
 */
public final class LineSplitter {

    /** No whole line has arrived yet. */
    public static final int NEED_MORE = -1;
    /** A line longer than the limit was skipped. */
    public static final int TOO_LONG = -2;

    /**
     * Makes something of one line.
     *
     * @param <T> what a line becomes
     */
    @FunctionalInterface
    public interface Parser<T> {
        /** Parses the line in {@code bytes} from {@code start}, {@code length} bytes long with its LF. */
        T parse(byte[] bytes, int start, int length);
    }

    private final int maxLength;
    private boolean skipping;

    /** @param maxLength the longest line accepted, line end included */
    public LineSplitter(int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("line limit too small: " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /**
     * Consumes the next line from {@code in}. Its bytes, LF included, stay readable in
     * {@code in.array()} from the position {@code in} had before the call.
     *
     * @return the line's length, LF included; or {@link #NEED_MORE} or {@link #TOO_LONG}
     */
    public int next(InputBuffer in) {
        byte[] bytes = in.array();
        int start = in.position();
        int lf = indexOfLf(bytes, start, in.limit());
        if (skipping) {
            if (lf < 0) {
                in.skip(in.available());
                return NEED_MORE;
            }
            in.skip(lf + 1 - start);
            skipping = false;
            return TOO_LONG;
        }
        if (lf < 0) {
            if (in.available() >= maxLength) {
                skipping = true;
                in.skip(in.available());
            }
            return NEED_MORE;
        }
        int length = lf + 1 - start;
        in.skip(length);
        return length > maxLength ? TOO_LONG : length;
    }

    /**
     * Consumes the next line from {@code in} and parses it.
     *
     * @param needMore what to return while no whole line has arrived
     * @param tooLong what to return for a line over the limit, which was skipped
     * @param parser makes the result of a line within the limit
     */
    public <T> T next(InputBuffer in, T needMore, T tooLong, Parser<T> parser) {
        int start = in.position();
        int length = next(in);
        if (length == NEED_MORE) {
            return needMore;
        }
        if (length == TOO_LONG) {
            return tooLong;
        }
        return parser.parse(in.array(), start, length);
    }

    /** Forgets a line being skipped; after a TLS handshake the input starts afresh. */
    public void reset() {
        skipping = false;
    }

    private static int indexOfLf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
