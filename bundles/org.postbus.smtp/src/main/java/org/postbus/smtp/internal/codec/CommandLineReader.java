package org.postbus.smtp.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * Splits command lines. Only CRLF ends a line; a line holding a bare CR or LF is refused whole,
 * so that a command can never be smuggled behind a line break the client and the server see
 * differently. A line longer than the limit is skipped as it arrives, never buffered.
 */
public final class CommandLineReader {

    private final int maxLength;
    private boolean skipping;

    /** @param maxLength the longest line accepted, CRLF included (RFC 5321 4.5.3.1.4: 512) */
    public CommandLineReader(int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("line limit too small: " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** Reads the next line from {@code in}, consuming it. */
    public CommandLine read(InputBuffer in) {
        byte[] bytes = in.array();
        int start = in.position();
        int lf = indexOfLf(bytes, start, in.limit());
        if (skipping) {
            if (lf < 0) {
                in.skip(in.available());
                return CommandLine.NEED_MORE;
            }
            in.skip(lf + 1 - start);
            skipping = false;
            return CommandLine.TOO_LONG;
        }
        if (lf < 0) {
            if (in.available() >= maxLength) {
                skipping = true;
                in.skip(in.available());
            }
            return CommandLine.NEED_MORE;
        }
        int length = lf + 1 - start;
        in.skip(length);
        if (length > maxLength) {
            return CommandLine.TOO_LONG;
        }
        if (lf == start || bytes[lf - 1] != '\r' || indexOfCr(bytes, start, lf - 1) >= 0) {
            return CommandLine.BARE_LINE_BREAK;
        }
        return new CommandLine(CommandLine.Kind.LINE, new String(bytes, start, length - 2, StandardCharsets.UTF_8));
    }

    /** Forgets a line being skipped; after STARTTLS the input starts afresh. */
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

    private static int indexOfCr(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }
}
