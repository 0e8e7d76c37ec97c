package org.postbus.pop3.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.postbus.protocol.InputBuffer;

class LineReaderTest {

    private final InputBuffer buffer = new InputBuffer();
    private final LineReader reader = new LineReader(20);

    private void feed(String text) {
        buffer.append(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void splitsCrlfAndBareLfLines() {
        feed("STAT\r\nLIST 1\nNO");
        assertEquals(new CommandLine(CommandLine.Kind.LINE, "STAT"), reader.read(buffer));
        assertEquals(new CommandLine(CommandLine.Kind.LINE, "LIST 1"), reader.read(buffer));
        assertEquals(CommandLine.NEED_MORE, reader.read(buffer));
        feed("OP\r\n");
        assertEquals(new CommandLine(CommandLine.Kind.LINE, "NOOP"), reader.read(buffer));
    }

    @Test
    void skipsAnOverlongLineWithoutHoldingIt() {
        feed("X".repeat(30));
        assertEquals(CommandLine.NEED_MORE, reader.read(buffer));
        assertEquals(0, buffer.available());
        feed("XXXX\r\nQUIT\r\n");
        assertEquals(CommandLine.TOO_LONG, reader.read(buffer));
        assertEquals(new CommandLine(CommandLine.Kind.LINE, "QUIT"), reader.read(buffer));
    }

    @Test
    void refusesControlCharactersAndBadUtf8() {
        feed("US\u0000ER\r\nA\rB\r\n\u00ff\r\nUSER \u00c3\u00a9\r\n");
        assertEquals(CommandLine.INVALID, reader.read(buffer));
        assertEquals(CommandLine.INVALID, reader.read(buffer));
        assertEquals(CommandLine.INVALID, reader.read(buffer));
        assertEquals(new CommandLine(CommandLine.Kind.LINE, "USER \u00e9"), reader.read(buffer));
    }
}
