package org.postbus.smtp.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineEndNormalizerTest {

    @Test
    void bareCrAndBareLfBecomeCrlf() {
        assertEquals("a\r\nb\r\nc\r\nd\r\n\r\n", normalize("a\nb\rc\r\nd\r\r"));
    }

    @Test
    void crlfSplitAcrossWritesStaysOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineEndNormalizer normalizer = new LineEndNormalizer(out::write);
        normalizer.write("x\r".getBytes(StandardCharsets.US_ASCII), 0, 2);
        normalizer.write("\ny".getBytes(StandardCharsets.US_ASCII), 0, 2);
        normalizer.finish();
        assertEquals("x\r\ny", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void smugglingSequenceIsStoredAsAStuffableLine() {
        assertEquals("a\r\n.\r\nb", normalize("a\n.\nb"));
    }

    private static String normalize(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineEndNormalizer normalizer = new LineEndNormalizer(out::write);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        normalizer.write(bytes, 0, bytes.length);
        normalizer.finish();
        return out.toString(StandardCharsets.US_ASCII);
    }
}
