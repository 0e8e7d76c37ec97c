package org.postbus.smtp.internal.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.store.MessageContent;

class SpoolTest {

    @TempDir
    Path dir;

    @Test
    void smallMessageStaysInMemory() throws IOException {
        try (Spool spool = new Spool(dir.resolve("spool"), 100)) {
            write(spool, "hello world");
            MessageContent content = spool.finish();
            assertFalse(spool.onDisk());
            assertFalse(Files.exists(dir.resolve("spool")));
            assertEquals("world", read(content, 6, 100));
            assertEquals("lo w", read(content, 3, 4));
        }
    }

    @Test
    void largeMessageMovesToAFileThatCloseDeletes() throws IOException {
        byte[] big = new byte[10_000];
        Arrays.fill(big, (byte) 'x');
        big[9_999] = 'y';
        Spool spool = new Spool(dir, 1000);
        write(spool, "head");
        spool.write(big, 0, big.length);
        MessageContent content = spool.finish();
        assertTrue(spool.onDisk());
        assertEquals(10_004, content.size());
        try (InputStream in = content.open()) {
            byte[] all = in.readAllBytes();
            assertEquals(10_004, all.length);
            assertEquals('y', all[10_003]);
        }
        assertEquals("xy", read(content, 10_002, 10));
        assertEquals(1, Files.list(dir).count());
        spool.close();
        assertEquals(0, Files.list(dir).count());
    }

    @Test
    void outOfRangeIsRefused() throws IOException {
        try (Spool spool = new Spool(dir, 10)) {
            write(spool, "abc");
            MessageContent content = spool.finish();
            assertThrows(IndexOutOfBoundsException.class, () -> content.open(4, 1));
            assertArrayEquals(new byte[0], content.open(3, 5).readAllBytes());
        }
    }

    @Test
    void builderCountsAndDropsPastTheLimit() throws IOException {
        MessageBuilder builder = new MessageBuilder(new Spool(dir, 10), 5, "T: 1\r\n".getBytes(StandardCharsets.US_ASCII));
        builder.write("abc\n".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertFalse(builder.tooBig());
        assertEquals("T: 1\r\nabc\r\n", read(builder.finish(), 0, 100));
        builder.write("more".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertTrue(builder.tooBig());
        assertEquals(8, builder.received());
        builder.close();
        assertEquals(0, Files.list(dir).count());
    }

    private static void write(Spool spool, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        spool.write(bytes, 0, bytes.length);
    }

    private static String read(MessageContent content, long offset, long length) throws IOException {
        try (InputStream in = content.open(offset, length)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
