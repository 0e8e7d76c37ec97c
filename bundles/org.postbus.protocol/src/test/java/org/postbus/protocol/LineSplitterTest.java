package org.postbus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final InputBuffer in = new InputBuffer(4);
    private final LineSplitter lines = new LineSplitter(10);

    private String next() {
        int start = in.position();
        int length = lines.next(in);
        return length < 0 ? Integer.toString(length) : new String(in.array(), start, length, StandardCharsets.US_ASCII);
    }

    @Test
    void findsLinesAsTheyArriveInPieces() {
        in.append("NO".getBytes(StandardCharsets.US_ASCII));
        assertEquals("-1", next());
        in.append("OP\r\nQU".getBytes(StandardCharsets.US_ASCII));
        assertEquals("NOOP\r\n", next());
        assertEquals("-1", next());
        in.append("IT\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("QUIT\n", next());
        assertEquals(0, in.available());
    }

    @Test
    void skipsAnOverlongLineWithoutHoldingItAndGoesOnAfterIt() {
        in.append("0123456789ABC".getBytes(StandardCharsets.US_ASCII));
        assertEquals("-1", next());
        assertEquals(0, in.available(), "the long line is not buffered");
        in.append("DEF".getBytes(StandardCharsets.US_ASCII));
        assertEquals("-1", next());
        in.append("\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Integer.toString(LineSplitter.TOO_LONG), next());
        assertEquals("NOOP\r\n", next());
    }

    @Test
    void aWholeLineOverTheLimitIsTooLong() {
        in.append("0123456789\r\nOK\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Integer.toString(LineSplitter.TOO_LONG), next());
        assertEquals("OK\r\n", next());
    }

    @Test
    void resetForgetsALineBeingSkipped() {
        in.append("0123456789ABC".getBytes(StandardCharsets.US_ASCII));
        assertEquals("-1", next());
        lines.reset();
        in.append("X\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("X\r\n", next());
    }

    @Test
    void bufferGrowsAndKeepsTheWaitingBytesInOrder() {
        in.append("ab".getBytes(StandardCharsets.US_ASCII));
        in.skip(1);
        in.append("cdefgh".getBytes(StandardCharsets.US_ASCII));
        assertEquals(7, in.available());
        assertEquals("bcdefgh", new String(in.array(), in.position(), in.available(), StandardCharsets.US_ASCII));
        in.clear();
        assertEquals(0, in.available());
    }
}
