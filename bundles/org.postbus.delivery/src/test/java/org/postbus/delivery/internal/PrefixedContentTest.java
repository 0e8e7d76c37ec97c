package org.postbus.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.MessageContent;

/** Header bytes in front of a content, read through with byte ranges. */
class PrefixedContentTest {

    private static final byte[] PREFIX = "Return-Path: <a@b.example>\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String BODY = "Subject: x\r\n\r\nbody\r\n";

    @Test
    void everyByteRangeReadsTheConcatenation() throws IOException {
        TestTransaction.CountingContent body = TestTransaction.content(BODY);
        MessageContent content = PrefixedContent.of(PREFIX, body);
        byte[] whole = (new String(PREFIX, StandardCharsets.US_ASCII) + BODY).getBytes(StandardCharsets.US_ASCII);
        assertEquals(whole.length, content.size());
        for (int offset = 0; offset <= whole.length + 1; offset++) {
            for (int length = 0; length <= whole.length + 1 - offset; length++) {
                int from = Math.min(offset, whole.length);
                byte[] expected = Arrays.copyOfRange(whole, from, Math.min(whole.length, from + length));
                try (InputStream in = content.open(offset, length)) {
                    assertArrayEquals(expected, in.readAllBytes(), offset + "+" + length);
                }
            }
            try (InputStream in = content.open(offset, Long.MAX_VALUE)) {
                assertArrayEquals(Arrays.copyOfRange(whole, Math.min(offset, whole.length), whole.length),
                        in.readAllBytes(), offset + "+MAX");
            }
        }
        try (InputStream in = content.open()) {
            assertArrayEquals(whole, in.readAllBytes());
        }
    }

    @Test
    void theBodyIsOpenedOnlyWhenItIsRead() throws IOException {
        TestTransaction.CountingContent body = TestTransaction.content(BODY);
        MessageContent content = PrefixedContent.of(PREFIX, body);
        try (InputStream in = content.open()) {
            in.readNBytes(PREFIX.length);
            assertEquals(0, body.opens.get());
            assertEquals('S', in.read());
            assertEquals(1, body.opens.get());
        }
        try (InputStream in = content.open(0, 5)) {
            in.readAllBytes();
        }
        assertEquals(1, body.opens.get());
    }

    @Test
    void nothingToPrefixIsTheContentItself() {
        TestTransaction.CountingContent body = TestTransaction.content(BODY);
        assertSame(body, PrefixedContent.of(new byte[0], body));
    }

    @Test
    void negativeRangesAreRefused() {
        MessageContent content = PrefixedContent.of(PREFIX, TestTransaction.content(BODY));
        assertThrows(IllegalArgumentException.class, () -> content.open(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> content.open(0, -3));
    }
}
