package org.postbus.smtp.internal.codec;

import java.nio.charset.StandardCharsets;
import org.postbus.protocol.InputBuffer;
import org.postbus.protocol.LineSplitter;

/**
 * Splits command lines. Only CRLF ends a line; a line holding a bare CR or LF is refused whole,
 * so that a command can never be smuggled behind a line break the client and the server see
 * differently. A line longer than the limit is skipped as it arrives, never buffered.
 */
public final class CommandLineReader {

    private final LineSplitter lines;

    /** @param maxLength the longest line accepted, CRLF included (RFC 5321 4.5.3.1.4: 512) */
    public CommandLineReader(int maxLength) {
        this.lines = new LineSplitter(maxLength);
    }

    /** Reads the next line from {@code in}, consuming it. */
    public CommandLine read(InputBuffer in) {
        return lines.next(in, CommandLine.NEED_MORE, CommandLine.TOO_LONG, CommandLineReader::parse);
    }

    private static CommandLine parse(byte[] bytes, int start, int length) {
        int lf = start + length - 1;
        if (lf == start || bytes[lf - 1] != '\r' || indexOfCr(bytes, start, lf - 1) >= 0) {
            return CommandLine.BARE_LINE_BREAK;
        }
        return new CommandLine(CommandLine.Kind.LINE, new String(bytes, start, length - 2, StandardCharsets.UTF_8));
    }

    /** Forgets a line being skipped; after STARTTLS the input starts afresh. */
    public void reset() {
        lines.reset();
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
