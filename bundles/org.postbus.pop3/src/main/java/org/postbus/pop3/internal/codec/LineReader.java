package org.postbus.pop3.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits command lines. A line ends with CRLF; a bare LF is taken as a line end too, since some
 * POP3 clients send one and, unlike SMTP, nothing can be smuggled behind it here. A line holding
 * any other control character is refused whole. A line longer than the limit is skipped as it
 * arrives, never buffered.
 */
public final class LineReader {

    private final int maxLength;
    private boolean skipping;

    /** @param maxLength the longest line accepted, CRLF included (RFC 2449 4: 255) */
    public LineReader(int maxLength) {
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
        int end = lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
        for (int i = start; i < end; i++) {
            int b = bytes[i] & 0xff;
            if (b < 32 && b != '\t' || b == 127) {
                return CommandLine.INVALID;
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            return new CommandLine(CommandLine.Kind.LINE, text);
        } catch (CharacterCodingException e) {
            return CommandLine.INVALID;
        }
    }

    /** Forgets a line being skipped; after STLS the input starts afresh. */
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
