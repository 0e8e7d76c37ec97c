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

    /**
     * Random messages of dots, CRs and LFs, read in small uneven pieces by a stream that does not
     * know its length, and by one that does: always what the plain definition gives.
     */
    @Test
    void matchesTheDefinitionForRandomMessagesAndReadSizes() throws IOException {
        java.util.Random random = new java.util.Random(42);
        byte[] alphabet = {'.', '.', '\r', '\n', '\n', 'a', 'b'};
        for (int round = 0; round < 500; round++) {
            byte[] message = new byte[random.nextInt(round < 400 ? 40 : 5000)];
            for (int i = 0; i < message.length; i++) {
                message[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String expected = definition(message);
            for (boolean knowsLength : new boolean[] {true, false}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                MessageWriter.write(new java.io.InputStream() {
                    private int pos;

                    @Override
                    public int read() {
                        return pos < message.length ? message[pos++] & 0xff : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (pos >= message.length) {
                            return -1;
                        }
                        int n = Math.min(Math.min(len, 1 + random.nextInt(7)), message.length - pos);
                        System.arraycopy(message, pos, b, off, n);
                        pos += n;
                        return n;
                    }

                    @Override
                    public int available() {
                        return knowsLength ? message.length - pos : 0;
                    }
                }, -1, (bytes, offset, length) -> {
                    out.write(bytes, offset, length);
                    return true;
                });
                assertEquals(expected, out.toString(StandardCharsets.ISO_8859_1), "round " + round);
            }
        }
    }

    /** RFC 1939 3, byte by byte: a dot after a line feed (or at the start) is doubled. */
    private static String definition(byte[] message) {
        StringBuilder out = new StringBuilder();
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.append('.');
            }
            out.append((char) b);
            lineStart = b == '\n';
        }
        if (message.length == 0 || lineStart) {
            return out.append(".\r\n").toString();
        }
        if (message[message.length - 1] == '\r') {
            return out.append("\n.\r\n").toString();
        }
        return out.append("\r\n.\r\n").toString();
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
