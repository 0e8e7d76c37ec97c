package org.postbus.imap.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandReaderTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(Input in) {
        return new String(((Input.Command) in).command().text(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void commandsSplitAcrossChunksAndPipelined() {
        CommandReader r = new CommandReader(1000, 100, false);
        r.feed(b("a1 NO"));
        assertNull(r.next());
        r.feed(b("OP\r\na2 CAPABILITY\r\na3"));
        assertEquals("a1 NOOP", text(r.next()));
        assertEquals("a2 CAPABILITY", text(r.next()));
        assertNull(r.next());
        r.feed(b(" LOGOUT\n"));
        assertEquals("a3 LOGOUT", text(r.next()), "a bare LF ends a line too");
    }

    @Test
    void synchronisingAndNonSynchronisingLiterals() {
        CommandReader r = new CommandReader(1000, 100, false);
        r.feed(b("a1 LOGIN {5}\r\n"));
        assertInstanceOf(Input.Continue.class, r.next());
        r.feed(b("al"));
        assertNull(r.next());
        r.feed(b("ice {6+}\r\nsecret\r\n"));
        Input.Command c = (Input.Command) r.next();
        assertEquals("a1 LOGIN {5} {6+}", new String(c.command().text(), StandardCharsets.US_ASCII));
        assertArrayEquals(b("alice"), c.command().literals().get(0).bytes());
        assertArrayEquals(b("secret"), c.command().literals().get(1).bytes());
    }

    @Test
    void oversizedLiteralsAndLines() {
        CommandReader r = new CommandReader(1000, 100, true);
        r.feed(b("a1 APPEND INBOX {101}\r\n"));
        Input.LiteralTooBig big = (Input.LiteralTooBig) r.next();
        assertEquals("a1", big.tag());
        assertEquals(true, big.append());
        r.feed(b("a2 SEARCH TEXT {5000+}\r\n" + "x".repeat(5000) + "\r\na3 NOOP\r\n"));
        Input.LiteralTooBig minus = (Input.LiteralTooBig) r.next();
        assertEquals("a2", minus.tag());
        assertEquals("a3 NOOP", text(r.next()), "the refused literal was skipped");
        r.feed(b("a4 NOOP " + "y".repeat(2000) + "\r\na5 NOOP\r\n"));
        assertEquals("a4", ((Input.TooLong) r.next()).tag());
        assertEquals("a5 NOOP", text(r.next()));
    }

    @Test
    void largeLiteralsAreSpooledAndReleased(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spool)
            throws Exception {
        CommandReader r = new CommandReader(1000, 1 << 20, false, spool);
        int size = CommandReader.SPOOL_THRESHOLD + 10;
        r.feed(b("a1 APPEND INBOX {" + size + "+}\r\n"));
        assertNull(r.next());
        byte[] data = new byte[size];
        java.util.Arrays.fill(data, (byte) 'm');
        r.feed(data);
        r.feed(b("\r\n"));
        Input.Command c = (Input.Command) r.next();
        Literal literal = c.command().literals().get(0);
        assertEquals(size, literal.size());
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(spool)) {
            assertEquals(1, files.count(), "the literal is on disk, not in the heap");
        }
        try (java.io.InputStream in = literal.open(size - 3, 100)) {
            assertArrayEquals(b("mmm"), in.readAllBytes());
        }
        c.command().release();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(spool)) {
            assertEquals(0, files.count(), "released with the command");
        }
    }

    @Test
    void rawLinesForContinuations() {
        CommandReader r = new CommandReader(1000, 100, false);
        r.expectRawLine();
        r.feed(b("DONE {5}\r\n"));
        assertArrayEquals(b("DONE {5}"), ((Input.Line) r.next()).bytes());
    }
}
