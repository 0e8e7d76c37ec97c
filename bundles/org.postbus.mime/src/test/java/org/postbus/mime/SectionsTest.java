package org.postbus.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.MessageContent;

class SectionsTest {

    static final String MSG = "From: a@b\r\nSubject: outer\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "caf=C3=A9 =\r\nau lait\r\n"
            + "--b\r\nContent-Type: message/rfc822\r\n\r\n"
            + "Subject: inner\r\nX-A: 1\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n"
            + "--c\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--c\r\nContent-Transfer-Encoding: x-gzip\r\n\r\nzz\r\n--c--\r\n"
            + "--b--\r\n";

    final TestContent content = TestContent.of(MSG);
    final MimeMessage m = MimeParser.parse(content.bytes());

    String body(int[] part, Section.Text text, String... fields) {
        return TestContent.text(Sections.body(m, content, new Section(part, text, List.of(fields))));
    }

    @Test
    void wholeMessageHeaderAndText() {
        assertEquals(MSG, body(new int[0], Section.Text.NONE));
        assertEquals(MSG.substring(0, MSG.indexOf("--b")), body(new int[0], Section.Text.HEADER));
        assertEquals(MSG.substring(MSG.indexOf("--b")), body(new int[0], Section.Text.TEXT));
    }

    @Test
    void partsMimeHeadersAndAttachedMessages() {
        assertEquals("caf=C3=A9 =\r\nau lait", body(new int[] {1}, Section.Text.NONE));
        assertEquals("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
                body(new int[] {1}, Section.Text.MIME));
        assertEquals("Content-Type: message/rfc822\r\n\r\n", body(new int[] {2}, Section.Text.MIME));
        assertEquals("Subject: inner\r\nX-A: 1\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n",
                body(new int[] {2}, Section.Text.HEADER), "HEADER of a message/rfc822 part is the attached header");
        assertEquals("aGVsbG8=", body(new int[] {2, 1}, Section.Text.NONE));
        assertEquals("Content-Transfer-Encoding: base64\r\n\r\n", body(new int[] {2, 1}, Section.Text.MIME));
        assertEquals("", body(new int[] {1}, Section.Text.HEADER), "a text part has no HEADER");
        assertEquals("", body(new int[] {3}, Section.Text.NONE));
        assertEquals("", body(new int[] {2, 3}, Section.Text.NONE));
        assertEquals("", body(new int[] {0}, Section.Text.NONE));
    }

    @Test
    void headerFieldsInMessageOrderCaseInsensitive() {
        assertEquals("From: a@b\r\nSubject: outer\r\n\r\n", body(new int[0], Section.Text.HEADER_FIELDS, "SUBJECT", "from"));
        assertEquals("Content-Type: multipart/mixed; boundary=b\r\n\r\n",
                body(new int[0], Section.Text.HEADER_FIELDS_NOT, "Subject", "FROM"));
        assertEquals("X-A: 1\r\n\r\n", body(new int[] {2}, Section.Text.HEADER_FIELDS, "x-a"));
        assertEquals("\r\n", body(new int[0], Section.Text.HEADER_FIELDS, "Missing"));
    }

    @Test
    void singlePartMessageBodyIsPartOne() {
        TestContent c = TestContent.of("Subject: s\r\n\r\nhello\r\n");
        MimeMessage single = MimeParser.parse(c.bytes());
        assertEquals("hello\r\n", TestContent.text(Sections.body(single, c, new Section(new int[] {1}, Section.Text.NONE))));
        assertEquals("Subject: s\r\n\r\n", TestContent.text(Sections.body(single, c, new Section(new int[] {1}, Section.Text.MIME))));
        assertEquals("", TestContent.text(Sections.body(single, c, new Section(new int[] {2}, Section.Text.NONE))));
    }

    @Test
    void partialFetchThroughOpen() throws IOException {
        MessageContent part = Sections.body(m, content, new Section(new int[] {1}, Section.Text.NONE));
        try (InputStream in = part.open(4, 5)) {
            assertEquals("C3=A9", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        try (InputStream in = part.open(1000, 5)) {
            assertEquals(0, in.readAllBytes().length);
        }
    }

    @Test
    void binaryDecodes() throws Exception {
        MessageContent qp = Sections.binary(m, content, new int[] {1});
        assertEquals("café au lait", new String(TestContent.read(qp), StandardCharsets.UTF_8));
        assertEquals(13, qp.size());
        MessageContent b64 = Sections.binary(m, content, new int[] {2, 1});
        assertEquals("hello", TestContent.text(b64));
        assertEquals(5, b64.size());
        try (InputStream in = b64.open(1, 3)) {
            assertEquals("ell", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertEquals(0, Sections.binary(m, content, new int[] {9}).size());
        UnknownEncodingException e = assertThrows(UnknownEncodingException.class,
                () -> Sections.binary(m, content, new int[] {2, 2}));
        assertEquals("x-gzip", e.encoding());
    }

    @Test
    void sectionRecordIsAValue() {
        Section a = new Section(new int[] {1, 2}, Section.Text.HEADER_FIELDS, List.of("A"));
        Section b = new Section(new int[] {1, 2}, Section.Text.HEADER_FIELDS, List.of("A"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        int[] part = a.part();
        part[0] = 9;
        assertEquals(1, a.part()[0]);
    }
}
