package org.postbus.pop3.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.postbus.protocol.InputBuffer;
import org.postbus.protocol.LineSplitter;

/**
 * Splits command lines. A line ends with CRLF; a bare LF is taken as a line end too, since some
 * POP3 clients send one and, unlike SMTP, nothing can be smuggled behind it here. A line holding
 * any other control character is refused whole. A line longer than the limit is skipped as it
 * arrives, never buffered.
 */
public final class LineReader {

    private final LineSplitter lines;

    /** @param maxLength the longest line accepted, CRLF included (RFC 2449 4: 255) */
    public LineReader(int maxLength) {
        this.lines = new LineSplitter(maxLength);
    }

    /** Reads the next line from {@code in}, consuming it. */
    public CommandLine read(InputBuffer in) {
        return lines.next(in, CommandLine.NEED_MORE, CommandLine.TOO_LONG, LineReader::parse);
    }

    private static CommandLine parse(byte[] bytes, int start, int length) {
        int lf = start + length - 1;
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
        lines.reset();
    }
}
