package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading threading headers from a stream of bytes, in pieces of any size. */
class HeaderScannerTest {

    private static HeaderScanner.Ids scan(String message, int piece) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        HeaderScanner s = new HeaderScanner();
        for (int i = 0; i < bytes.length && !s.done(); i += piece) {
            s.feed(bytes, i, Math.min(piece, bytes.length - i));
        }
        return s.ids();
    }

    @Test
    void readsIdsFromFoldedFieldsInAnyCase() {
        String m = "From: a@b\r\nmessage-id:   <own@x>\r\nREFERENCES: <r1@x>\r\n\t<r2@x>\r\n <r3@x>\r\n"
                + "In-Reply-To: <r3@x> (comment)\r\nSubject: s\r\n\r\nReferences: <body@x>\r\n";
        for (int piece : new int[] {1, 3, 7, 4096}) {
            HeaderScanner.Ids ids = scan(m, piece);
            assertEquals("own@x", ids.messageId());
            assertEquals(List.of("r1@x", "r2@x", "r3@x"), ids.references(), "piece " + piece);
        }
    }

    @Test
    void bareLineFeedsAndMissingBracketsAreTolerated() {
        HeaderScanner.Ids ids = scan("Message-ID: own@x\nIn-Reply-To: parent@x\n\nbody\n", 5);
        assertEquals("own@x", ids.messageId());
        assertEquals(List.of("parent@x"), ids.references());
    }

    @Test
    void stopsAtTheEndOfTheHeader() {
        HeaderScanner s = new HeaderScanner();
        byte[] b = "Subject: x\r\n\r\nMessage-ID: <not-a-header@x>\r\n".getBytes(StandardCharsets.US_ASCII);
        s.feed(b, 0, b.length);
        assertTrue(s.done());
        assertNull(s.ids().messageId());
        assertEquals(HeaderScanner.Ids.NONE, s.ids());
    }

    @Test
    void linesEndWithLineFeedOrCrlfAndALoneCarriageReturnStaysInTheLine() {
        assertEquals(List.of("A: 1\r2", "B: 3 4", "C: 5"), HeaderScanner.unfold("A: 1\r2\r\nB: 3\n 4\r\nC: 5"));
        assertEquals(List.of("A: 1"), HeaderScanner.unfold("A: 1\r\n\r\nB: body"));
        assertEquals(List.of(), HeaderScanner.unfold(""));
    }

    @Test
    void anEndlessHeaderSectionIsReadUpToItsLimit() {
        HeaderScanner s = new HeaderScanner();
        byte[] line = "X-Filler: 0123456789012345678901234567890123456789\r\n".getBytes(StandardCharsets.US_ASCII);
        int fed = 0;
        while (!s.done()) {
            s.feed(line, 0, line.length);
            fed += line.length;
        }
        assertTrue(fed >= HeaderScanner.MAX_HEADER && fed < HeaderScanner.MAX_HEADER + line.length, "fed " + fed);
        assertEquals(HeaderScanner.Ids.NONE, s.ids());
    }

    @Test
    void keepsTheLatestReferencesOnly() {
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            refs.append(" <r").append(i).append("@x>");
        }
        HeaderScanner.Ids ids = scan("References:" + refs + "\r\n\r\n", 64);
        assertEquals(HeaderScanner.MAX_REFERENCES, ids.references().size());
        assertEquals("r99@x", ids.references().get(HeaderScanner.MAX_REFERENCES - 1));
    }
}
