package org.postbus.smtp.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.postbus.protocol.InputBuffer;

class DataReaderTest {

    private final DataReader reader = new DataReader();
    private final InputBuffer in = new InputBuffer();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteSink sink = out::write;

    @Test
    void endsAtCrlfDotCrlfAndLeavesWhatFollows() {
        assertTrue(feed("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n"));
        assertEquals("Subject: x\r\n\r\nbody\r\n", text());
        assertEquals("QUIT\r\n", rest());
    }

    @Test
    void emptyMessageEndsAtTheFirstDot() {
        assertTrue(feed(".\r\n"));
        assertEquals("", text());
    }

    @Test
    void removesTheStuffedDot() {
        assertTrue(feed("..\r\n..dots\r\n.x\r\nmid.dle\r\n.\r\n"));
        assertEquals(".\r\n.dots\r\nx\r\nmid.dle\r\n", text());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @ValueSource(strings = {
        "a\n.\nMAIL FROM:<evil@x>\r\n",
        "a\r\n.\nMAIL FROM:<evil@x>\r\n",
        "a\n.\r\nMAIL FROM:<evil@x>\r\n",
        "a\r.\rMAIL FROM:<evil@x>\r\n",
        "a\r\n.\rMAIL FROM:<evil@x>\r\n",
        "a\r.\r\nMAIL FROM:<evil@x>\r\n",
        "a\r\n.\r\r\nMAIL FROM:<evil@x>\r\n",
        "a\r\n\u0000.\r\nMAIL FROM:<evil@x>\r\n",
        "a\r\n .\r\nMAIL FROM:<evil@x>\r\n"})
    void smugglingVariantsDoNotEndTheData(String attempt) {
        assertFalse(feed(attempt), "ended early");
        assertTrue(text().contains("MAIL FROM:<evil@x>"), text());
        assertTrue(feed(".\r\n"), "the real end still works");
    }

    @Test
    void endMarkerSplitAcrossEveryBytePosition() {
        byte[] message = "one\r\n..two\r\n.\r\nNEXT".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < message.length; i++) {
            in.append(message, i, 1);
            if (reader.read(in, sink)) {
                assertEquals(message.length - 5, i, "ended at the LF of the marker");
                assertEquals("one\r\n.two\r\n", text());
                return;
            }
        }
        throw new AssertionError("never ended");
    }

    @Test
    void bareCrAtTheEndOfAPacketIsKept() {
        assertFalse(feed("a\r"));
        assertFalse(feed("b\r\n"));
        assertTrue(feed(".\r\n"));
        assertEquals("a\rb\r\n", text());
    }

    @Test
    void dotCrFollowedByTextIsData() {
        assertFalse(feed("x\r\n.\ry\r\n"));
        assertEquals("x\r\n\ry\r\n", text());
    }

    private boolean feed(String text) {
        in.append(text.getBytes(StandardCharsets.UTF_8));
        return reader.read(in, sink);
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String rest() {
        return new String(in.array(), in.position(), in.available(), StandardCharsets.UTF_8);
    }
}
