package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlfFileContentTest {

    @TempDir
    Path tmp;

    private Path file(String text) throws IOException {
        return Files.writeString(tmp.resolve("m"), text, StandardCharsets.ISO_8859_1);
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void lfBecomesCrlfAndCrlfAndLoneCrStay() throws IOException {
        CrlfFileContent content = CrlfFileContent.of(file("a\nb\r\nc\rd\n\ne"));

        assertEquals("a\r\nb\r\nc\rd\r\n\r\ne", read(content.open()));
        assertEquals(content.size(), read(content.open()).length());
    }

    @Test
    void rangesAreOfTheConvertedBytes() throws IOException {
        String lf = "line one\nline two\n\nbody\n";
        String crlf = lf.replace("\n", "\r\n");
        CrlfFileContent content = CrlfFileContent.of(file(lf));

        assertEquals(crlf.length(), content.size());
        for (int offset = 0; offset <= crlf.length(); offset++) {
            for (int length = 0; length <= crlf.length() - offset + 2; length += 3) {
                String expected = crlf.substring(offset, Math.min(crlf.length(), offset + length));
                assertEquals(expected, read(content.open(offset, length)), offset + "+" + length);
            }
        }
    }

    @Test
    void aLargeFileConvertsAcrossBufferBoundaries() throws IOException {
        StringBuilder lf = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            lf.append(i % 7 == 0 ? ">From " : "").append("line ").append(i).append('\n');
        }
        CrlfFileContent content = CrlfFileContent.mboxRegion(file(lf.toString()), 0, lf.length());

        String expected = lf.toString().replace(">From ", "From ").replace("\n", "\r\n");
        assertEquals(expected.length(), content.size());
        assertEquals(expected, read(content.open()));
    }

    @Test
    void mboxQuotingIsUndoneOnlyAtLineStarts() throws IOException {
        String mbox = "xxFrom ignored\n>From a\n>>>From b\n> From c\n>Fromage\n>From\nx >From d\n>From ";
        Path file = file("HEAD" + mbox + "TAIL");

        CrlfFileContent content = CrlfFileContent.mboxRegion(file, 4, 4 + mbox.length());

        String expected = "xxFrom ignored\r\nFrom a\r\n>>From b\r\n> From c\r\n>Fromage\r\n>From\r\nx >From d\r\nFrom ";
        assertEquals(expected, read(content.open()));
        assertEquals(expected.length(), content.size());
    }
}
