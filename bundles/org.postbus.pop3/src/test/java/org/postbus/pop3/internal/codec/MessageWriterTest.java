package org.postbus.pop3.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageWriterTest {

    private static String write(String message, long bodyLines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageWriter.write(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), bodyLines,
                (bytes, offset, length) -> {
                    out.write(bytes, offset, length);
                    return true;
                });
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stuffsLinesStartingWithADot() throws IOException {
        assertEquals("A: b\r\n\r\n..\r\n..x\r\n.\r\n", write("A: b\r\n\r\n.\r\n.x\r\n", -1));
        assertEquals("..first\r\n.\r\n", write(".first\r\n", -1));
    }

    @Test
    void stuffsDotsAcrossChunkBoundaries() throws IOException {
        String line = "y".repeat(MessageWriter.CHUNK - 2) + "\r\n";
        String message = line + ".after\r\n";
        assertEquals(line + "..after\r\n.\r\n", write(message, -1));
    }

    @Test
    void completesALastLineWithoutLineEnd() throws IOException {
        assertEquals("A: b\r\n\r\nbody\r\n.\r\n", write("A: b\r\n\r\nbody", -1));
        assertEquals("A: b\r\n\r\nbody\r\n.\r\n", write("A: b\r\n\r\nbody\r", -1));
        assertEquals(".\r\n", write("", -1));
    }

    @Test
    void topSendsTheHeaderTheEmptyLineAndNLines() throws IOException {
        String message = "A: b\r\nC: d\r\n\r\none\r\ntwo\r\nthree\r\n";
        assertEquals("A: b\r\nC: d\r\n\r\n.\r\n", write(message, 0));
        assertEquals("A: b\r\nC: d\r\n\r\none\r\n.\r\n", write(message, 1));
        assertEquals("A: b\r\nC: d\r\n\r\none\r\ntwo\r\nthree\r\n.\r\n", write(message, 3));
        assertEquals("A: b\r\nC: d\r\n\r\none\r\ntwo\r\nthree\r\n.\r\n", write(message, 1000));
    }

    @Test
    void topOfAMessageWithoutBodySendsItAll() throws IOException {
        assertEquals("A: b\r\nC: d\r\n.\r\n", write("A: b\r\nC: d\r\n", 0));
        assertEquals("A: b\r\n\r\n.\r\n", write("A: b\r\n\r\n", 5));
    }

    @Test
    void stopsWhenTheSinkRefuses() throws IOException {
        assertFalse(MessageWriter.write(new ByteArrayInputStream("A: b\r\n".getBytes(StandardCharsets.US_ASCII)), -1,
                (bytes, offset, length) -> false));
    }
}
