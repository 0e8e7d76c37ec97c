package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LfOutputStreamTest {

    private static String write(String text, boolean quote, boolean byteByByte) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LfOutputStream out = new LfOutputStream(sink, quote);
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) {
                out.write(b);
            }
        } else {
            out.write(bytes);
        }
        out.finish();
        assertEquals(sink.size(), out.written());
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfBecomesLfAndLoneCrStays() throws IOException {
        for (boolean single : new boolean[] {true, false}) {
            assertEquals("a\nb\nc\rd\n\ne\r", write("a\r\nb\nc\rd\r\n\r\ne\r", false, single));
        }
    }

    @Test
    void mboxrdQuotesFromLinesAndQuotedOnes() throws IOException {
        String in = "From a\r\n>From b\r\n>>From c\r\nxFrom d\r\n> From e\r\nFrom\r\nFromage\r\n>>>>\r\n>From ";
        String out = ">From a\n>>From b\n>>>From c\nxFrom d\n> From e\nFrom\nFromage\n>>>>\n>>From ";
        assertEquals(out, write(in, true, true));
        assertEquals(out, write(in, true, false));
    }

    @Test
    void quotingIsUndoneByTheReader() throws Exception {
        String message = "Subject: x\r\n\r\nFrom a\r\n>From b\r\n>>From c\r\n";
        String mbox = write(message, true, false);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("mbox", "");
        try {
            java.nio.file.Files.writeString(file, mbox, StandardCharsets.ISO_8859_1);
            try (var in = CrlfFileContent.mboxRegion(file, 0, mbox.length()).open()) {
                assertEquals(message, new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
