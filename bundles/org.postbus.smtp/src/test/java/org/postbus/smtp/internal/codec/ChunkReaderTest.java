package org.postbus.smtp.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.postbus.protocol.InputBuffer;

class ChunkReaderTest {

    private final ChunkReader reader = new ChunkReader();
    private final InputBuffer in = new InputBuffer();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void readsExactlyTheCountAndLeavesTheNextCommand() {
        reader.start(10);
        in.append("0123456789BDAT 0 LAST\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(reader.read(in, out::write));
        assertEquals("0123456789", out.toString(StandardCharsets.US_ASCII));
        assertEquals(13, in.available());
    }

    @Test
    void chunkOverSeveralPacketsKeepsDotsAndLineBreaksAsTheyAre() {
        reader.start(9);
        in.append("\r\n.\r".getBytes(StandardCharsets.US_ASCII));
        assertFalse(reader.read(in, out::write));
        assertEquals(5, reader.remaining());
        in.append("\n.\n\r\nQUIT".getBytes(StandardCharsets.US_ASCII));
        assertTrue(reader.read(in, out::write));
        assertEquals("\r\n.\r\n.\n\r\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void emptyChunkIsCompleteAtOnce() {
        reader.start(0);
        assertTrue(reader.read(in, out::write));
        assertEquals(0, out.size());
    }
}
