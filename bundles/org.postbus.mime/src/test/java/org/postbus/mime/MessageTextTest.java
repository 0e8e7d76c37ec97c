package org.postbus.mime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageTextTest {

    static final String MSG = "From: =?iso-8859-1?q?J=F6rg?= <j@x>\r\nSubject: =?utf-8?b?R3LDvMOfZQ==?=\r\n"
            + "X-Empty:\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Stra=DFe und Br=FCcke, soft=\r\nbreak\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nc2VjcmV0\r\n"
            + "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: nested header\r\n\r\nnested body\r\n"
            + "--b\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nunknown charset text\r\n--b--\r\n";

    final TestContent c = TestContent.of(MSG);
    final MimeMessage m = MimeParser.parse(c.bytes());

    @Test
    void headersAreDecodedAndFolded() {
        assertTrue(MessageText.headerContains(m, c, "subject", "grüsse"), "ß folds to ss");
        assertTrue(MessageText.headerContains(m, c, "From", "JÖRG"));
        assertFalse(MessageText.headerContains(m, c, "From", "nobody"));
        assertTrue(MessageText.headerContains(m, c, "X-Empty", ""));
        assertFalse(MessageText.headerContains(m, c, "X-Missing", ""));
    }

    @Test
    void addressSearchMatchesTheEnvelopeFormNotTheRawField() {
        String raw = "From: <pat (c1)@ (c2) place.example>\r\nTo: pat@place.example (Tina Tomm)\r\n"
                + "Cc: crew: m1@place.example, =?utf-8?q?J=C3=B6rg?= <m2@place.example>;\r\nBcc: (only a comment)\r\n\r\n";
        MimeMessage h = MimeParser.parse(TestContent.of(raw).bytes());
        assertTrue(MessageText.addressContains(h, "From", "pat@place.example"), "comments inside the address are dropped");
        assertTrue(MessageText.addressContains(h, "From", "<pat@place.example>"));
        assertFalse(MessageText.addressContains(h, "From", "c1"), "a comment is not part of the address");
        assertTrue(MessageText.addressContains(h, "To", "Tina Tomm <pat@"), "a trailing comment is the display name");
        assertTrue(MessageText.addressContains(h, "cc", "crew"), "group name");
        assertTrue(MessageText.addressContains(h, "Cc", "jörg <m2"), "decoded display name");
        assertFalse(MessageText.addressContains(h, "Cc", "m1@place.example, "), "addresses are matched one by one");
        assertTrue(MessageText.addressContains(h, "Bcc", ""), "an empty needle asks for the field");
        assertFalse(MessageText.addressContains(h, "Bcc", "comment"));
        assertFalse(MessageText.addressContains(h, "Sender", ""));
        assertTrue(MessageText.headerContains(h, "From", "c1"), "HEADER still searches the raw field");
    }

    @Test
    void bodyIsTransferAndCharsetDecoded() {
        assertTrue(MessageText.bodyContains(m, c, "STRASSE"));
        assertTrue(MessageText.bodyContains(m, c, "brücke"));
        assertTrue(MessageText.bodyContains(m, c, "softbreak"), "soft line breaks join");
        assertTrue(MessageText.bodyContains(m, c, "nested body"));
        assertTrue(MessageText.bodyContains(m, c, "unknown charset text"));
        assertFalse(MessageText.bodyContains(m, c, "secret"), "non-text parts are not searched");
        assertFalse(MessageText.bodyContains(m, c, "Grüße"), "the header is not the body");
        assertFalse(MessageText.bodyContains(m, c, "nested header"));
    }

    @Test
    void textCoversHeadersAndBody() {
        assertTrue(MessageText.textContains(m, c, "grüße"));
        assertTrue(MessageText.textContains(m, c, "nested header"));
        assertTrue(MessageText.textContains(m, c, "brücke"));
        assertFalse(MessageText.textContains(m, c, "not there"));
    }

    @Test
    void textSearchesThePartsMimeHeadersBodyDoesNot() {
        assertTrue(MessageText.textContains(m, c, "application/octet-stream"), "a part's MIME header is body text");
        assertTrue(MessageText.textContains(m, c, "Content-Transfer-Encoding: base64"));
        assertFalse(MessageText.bodyContains(m, c, "application/octet-stream"), "BODY looks at text only");
    }

    @Test
    void matchesAcrossChunkBorders() {
        String filler = "x".repeat(8190);
        String msg = "Content-Type: text/plain; charset=utf-8\r\n\r\n" + filler + "needle in the haystack ß\r\n";
        TestContent big = TestContent.of(msg);
        MimeMessage bm = MimeParser.parse(big.bytes());
        assertTrue(MessageText.bodyContains(bm, big, "NEEDLE IN THE HAYSTACK SS"));
        assertFalse(MessageText.bodyContains(bm, big, "needle in the haystacks"));
    }

    @Test
    void base64TextWithGarbage() {
        String msg = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "!!!*** " + java.util.Base64.getEncoder().encodeToString("Grüße".getBytes(StandardCharsets.UTF_8)) + "\r\n";
        TestContent t = TestContent.of(msg);
        assertTrue(MessageText.bodyContains(MimeParser.parse(t.bytes()), t, "GRÜSSE"));
    }
}
