package org.postbus.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postbus.api.delivery.Header;
import org.postbus.api.mail.MailAddress;

/** Header fields in wire form. */
class HeaderBlockTest {

    @Test
    void returnPathCarriesTheSenderOrTheNullPath() {
        assertEquals(new Header("Return-Path", "<alice@example.org>"),
                HeaderBlock.returnPath(Optional.of(MailAddress.parse("alice@example.org"))));
        assertEquals(new Header("Return-Path", "<>"), HeaderBlock.returnPath(Optional.empty()));
    }

    @Test
    void fieldsAreWrittenInOrderWithCrlf() {
        byte[] block = HeaderBlock.encode(List.of(new Header("Return-Path", "<>"), new Header("X-Spam", "no"),
                new Header("X-Name", "Jürgen")));
        assertEquals("Return-Path: <>\r\nX-Spam: no\r\nX-Name: Jürgen\r\n", new String(block, StandardCharsets.UTF_8));
        assertEquals(0, HeaderBlock.encode(List.of()).length);
    }

    @Test
    void longValuesAreFoldedAtWhiteSpace() {
        String value = "mx.example.org; spf=pass smtp.mailfrom=alice@elsewhere.example; "
                + "dkim=pass header.d=elsewhere.example header.s=sel; dmarc=pass header.from=elsewhere.example";
        String folded = HeaderBlock.fold("Authentication-Results: " + value);
        String[] lines = folded.split("\r\n");
        assertTrue(lines.length > 1, folded);
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].length() <= HeaderBlock.FOLD_AT, lines[i]);
            assertTrue(!lines[i].isBlank(), "no blank line");
            if (i > 0) {
                assertTrue(lines[i].startsWith(" "), lines[i]);
            }
        }
        // Unfolding gives the field back.
        assertEquals("Authentication-Results: " + value + "\r\n", folded.replace("\r\n ", " ").replace("\r\n", "") + "\r\n");
    }

    @Test
    void aShortFieldOrALongWordStaysOnOneLine() {
        assertEquals("X-Spam: no\r\n", HeaderBlock.fold("X-Spam: no"));
        String word = "x".repeat(200);
        assertEquals("X-Token: " + word + "\r\n", HeaderBlock.fold("X-Token: " + word));
        // Trailing white space is never left alone on a line of its own.
        String trailing = "X-Token: " + word + "    ";
        assertEquals(trailing + "\r\n", HeaderBlock.fold(trailing));
    }
}
