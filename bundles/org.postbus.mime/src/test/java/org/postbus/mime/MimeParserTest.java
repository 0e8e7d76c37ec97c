package org.postbus.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.MessageContent;

class MimeParserTest {

    static MimeMessage parse(String crlf) {
        return MimeParser.parse(crlf.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void singlePartOffsetsAndLines() {
        String msg = "Subject: hi\r\nFrom: A <a@b.c>\r\n\r\nline1\r\nline2";
        MimeMessage m = parse(msg);
        MimePart root = m.root();
        assertEquals(0, root.headerStart());
        assertEquals(msg.indexOf("line1"), root.bodyStart());
        assertEquals(msg.length(), root.bodyEnd());
        assertEquals(1, root.bodyLines(), "a last line without LF is not counted, as Dovecot");
        assertEquals("text", root.type());
        assertEquals("plain", root.subtype());
        assertFalse(root.hasExplicitType());
        assertEquals("7BIT", root.transferEncoding());
        assertEquals(List.of("hi"), m.header("subject"));
    }

    @Test
    void multipartOffsetsExcludeTheLineBreakBeforeBoundaries() {
        String msg = "Content-Type: multipart/mixed; boundary=xx\r\n\r\npre\r\n--xx\r\n\r\nbody1\r\n"
                + "--xx\r\nContent-Type: text/html\r\n\r\n<p>2</p>\r\n\r\n--xx--\r\nepilogue\r\n";
        MimeMessage m = parse(msg);
        List<MimePart> kids = m.root().children();
        assertEquals(2, kids.size());
        MimePart one = kids.get(0);
        assertEquals(msg.indexOf("\r\n\r\nbody1") + 2, one.headerStart());
        assertEquals(msg.indexOf("body1"), one.bodyStart());
        assertEquals(msg.indexOf("body1") + 5, one.bodyEnd());
        assertEquals(0, one.bodyLines());
        MimePart two = kids.get(1);
        assertEquals("html", two.subtype());
        assertEquals("<p>2</p>\r\n", msg.substring((int) two.bodyStart(), (int) two.bodyEnd()));
        assertEquals(1, two.bodyLines());
        assertEquals(msg.length(), m.root().bodyEnd(), "the multipart body runs through its epilogue");
    }

    @Test
    void nestedMessageAndDigestDefaults() {
        String msg = "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: inner\r\n\r\nx\r\n"
                + "--d\r\nContent-Type: text/plain\r\n\r\ny\r\n--d--\r\n";
        MimeMessage m = parse(msg);
        MimePart first = m.root().children().get(0);
        assertTrue(first.is("message", "rfc822"));
        MimeMessage inner = first.attached().orElseThrow();
        assertEquals(Optional.of("inner"), inner.decodedHeader("Subject"));
        assertEquals(first.bodyStart(), inner.root().headerStart());
        assertTrue(m.root().children().get(1).is("text", "plain"));
        assertTrue(m.root().children().get(1).attached().isEmpty());
    }

    @Test
    void contentFieldsAndRfc2231() {
        String msg = "Content-Type: application/octet-stream; name*0*=UTF-8''%C3%9Cber; name*1=sicht.txt;"
                + " charset=\"x\\\"y\" (comment)\r\n"
                + "Content-Disposition: attachment; filename*=iso-8859-1'de'caf%E9.txt\r\n"
                + "Content-Transfer-Encoding: Base64\r\nContent-ID: <c@x>\r\nContent-Description: d\r\n"
                + "Content-Language: en (English), de\r\nContent-Location: here\r\nContent-MD5: sum\r\n\r\nAAAA\r\n";
        MimePart p = parse(msg).root();
        assertEquals(Map.of("charset", "x\"y", "name", "Übersicht.txt"), p.parameters());
        assertEquals(List.of("charset", "name*"), List.copyOf(p.rawParameters().keySet()));
        assertEquals("UTF-8''%C3%9Cbersicht.txt", p.rawParameters().get("name*"));
        assertEquals(Optional.of("attachment"), p.disposition());
        assertEquals(Optional.of("café.txt"), p.fileName());
        assertEquals("Base64", p.transferEncoding());
        assertTrue(p.hasExplicitEncoding());
        assertEquals(Optional.of("<c@x>"), p.id());
        assertEquals(Optional.of("d"), p.description());
        assertEquals(List.of("en", "de"), p.language());
        assertEquals(Optional.of("here"), p.location());
        assertEquals(Optional.of("sum"), p.md5());
    }

    @Test
    void messageHeaders() {
        MimeMessage m = parse("Date: Thu, 13 Feb 1969 23:32:54 -0330\r\n"
                + "Message-ID: (comment) < abc@def >\r\n"
                + "References: <a@x>\r\n <b@x> (c) <c@x>\r\nIn-Reply-To: <z@x>\r\n"
                + "Subject: =?utf-8?q?caf=C3=A9?= =?utf-8?q?_au_lait?=\r\n\r\n");
        assertEquals(Optional.of(Instant.parse("1969-02-14T03:02:54Z")), m.sentDate());
        assertEquals(Optional.of("<abc@def>"), m.messageId());
        assertEquals(List.of("<a@x>", "<b@x>", "<c@x>"), m.references());
        assertEquals(Optional.of("café au lait"), m.decodedHeader("subject"));
        assertEquals(List.of("<a@x> <b@x> (c) <c@x>"), m.header("References"), "unfolded, raw");
        assertTrue(m.root().fields().get(2).folded());
    }

    @Test
    void inReplyToWhenNoReferencesAndLenientDates() {
        MimeMessage m = parse("In-Reply-To: Your message of <z@x> and <y@x>\r\nDate: 5 Jan 2024 10:00 GMT\r\n\r\n");
        assertEquals(List.of("<z@x>"), m.references());
        assertEquals(Optional.of(Instant.parse("2024-01-05T10:00:00Z")), m.sentDate());
        assertEquals(Optional.empty(), parse("Date: not a date\r\n\r\n").sentDate());
        assertEquals(Optional.empty(), parse("\r\n").messageId());
    }

    @Test
    void eightBitAndLatin1HeadersAreKept() {
        byte[] utf8 = "Subject: Grüße\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("Grüße"), MimeParser.parse(utf8).header("Subject"));
        byte[] latin1 = "Subject: caf\u00e9\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("café"), MimeParser.parse(latin1).header("Subject"));
    }

    @Test
    void lfOnlyMessages() {
        String msg = "Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\ntwo\n--b--\n";
        MimeMessage m = parse(msg);
        MimePart one = m.root().children().get(0);
        assertEquals("one\ntwo", msg.substring((int) one.bodyStart(), (int) one.bodyEnd()));
        assertEquals(1, one.bodyLines());
    }

    @Test
    void missingFinalBoundaryAndOuterBoundaryEndingInnerParts() {
        MimeMessage m = parse("Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n"
                + "Content-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\n\r\na\r\n--i\r\n\r\nb\r\n"
                + "--o\r\n\r\nc\r\n");
        List<MimePart> outer = m.root().children();
        assertEquals(2, outer.size());
        assertEquals(2, outer.get(0).children().size());
        assertEquals(0, outer.get(0).children().get(1).bodyLines());
        assertEquals(1, outer.get(1).bodyLines());
    }

    @Test
    void boundaryNeverFoundGivesAMultipartWithoutParts() {
        MimeMessage m = parse("Content-Type: multipart/mixed; boundary=zz\r\n\r\ntext\r\n");
        assertTrue(m.root().isMultipart());
        assertTrue(m.root().children().isEmpty());
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0) \"mixed\")",
                ImapFormat.bodyStructure(m, false, false).substring(1));
    }

    @Test
    void deepNestingIsCapped() {
        int depth = 500;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        b.append("\r\nleaf\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            b.append("--b").append(i).append("--\r\n");
        }
        MimeMessage m = parse(b.toString());
        int levels = 0;
        MimePart p = m.root();
        while (!p.children().isEmpty()) {
            p = p.children().get(0);
            levels++;
        }
        assertEquals(100, levels, "nesting stops at MAX_DEPTH; the rest is an opaque body");
        ImapFormat.bodyStructure(m, true, false);
    }

    @Test
    void deeplyNestedMessagesAreCapped() {
        String msg = "Content-Type: message/rfc822\r\n\r\n".repeat(1000) + "body\r\n";
        MimeMessage m = parse(msg);
        int levels = 0;
        Optional<MimeMessage> cur = Optional.of(m);
        while (cur.get().root().attached().isPresent()) {
            cur = cur.get().root().attached();
            levels++;
        }
        assertEquals(100, levels);
        assertEquals(msg.length(), m.size());
    }

    @Test
    void badHeaderLinesAreSkipped() {
        MimeMessage m = parse("From nobody Mon Jan 1\r\nno colon here\r\n: empty name\r\nSubject : spaced\r\n"
                + "X-Empty:\r\n\tcontinued\r\n\r\nbody");
        assertEquals(List.of("spaced"), m.header("Subject"));
        assertEquals(List.of("\tcontinued"), m.header("X-Empty"));
        assertEquals(2, m.fields().size());
    }

    @Test
    void hugeHeadersAreReadPastNotKept() {
        StringBuilder b = new StringBuilder("Subject: first\r\n");
        String field = "X-Filler: " + "y".repeat(1000) + "\r\n";
        for (int i = 0; i < 20_000; i++) {
            b.append(field);
        }
        b.append("X-Last: after the cap\r\n\r\nbody\r\n");
        MimeMessage m = parse(b.toString());
        assertEquals(List.of("first"), m.header("Subject"));
        assertTrue(m.fields().size() < 300, "about 256 KiB of header text is kept per part");
        assertEquals(List.of("after the cap"), m.header("X-Last"), "a small field still fits");
        assertEquals(b.indexOf("body"), m.root().bodyStart(), "offsets stay exact past the cap");
        String longLine = "Subject: " + "z".repeat(200_000) + "\r\n\r\nx";
        MimeMessage l = parse(longLine);
        assertEquals(64 * 1024 - "Subject: ".length(), l.header("Subject").get(0).length(), "a field line is cut at 64 KiB");
        assertEquals(longLine.length() - 1, l.root().bodyStart());
    }

    @Test
    void overlongBoundaryIsNotUsed() {
        String boundary = "b".repeat(2000);
        MimeMessage m = parse("Content-Type: multipart/mixed; boundary=" + boundary + "\r\n\r\n--" + boundary
                + "\r\n\r\nx\r\n--" + boundary + "--\r\n");
        assertTrue(m.root().children().isEmpty());
    }

    @Test
    void headerWithoutBlankLineHasAnEmptyBody() {
        MimeMessage m = parse("Subject: x\r\nFrom: a@b");
        assertEquals(m.root().bodyStart(), m.root().bodyEnd());
        assertEquals(List.of("a@b"), m.header("From"));
        MimeMessage empty = MimeParser.parse(new byte[0]);
        assertEquals(0, empty.size());
        assertTrue(empty.fields().isEmpty());
    }

    @Test
    void randomGarbageNeverThrows() {
        Random random = new Random(5256);
        String[] pieces = {"--b\r\n", "--b--\r\n", "\r\n", "\n", "Content-Type: multipart/mixed; boundary=b\r\n",
            "Content-Type: message/rfc822\r\n", "Content-Type: multipart/digest; boundary=\"b\"\r\n",
            "Subject: =?utf-8?q?x?=\r\n", "\u00ff\u00fe", " folded\r\n", "From: <@a:b@c>, g:;\r\n", "x: y\r", "\0",
            "Content-Transfer-Encoding: base64\r\n", "name*0*=''%%; a=\"", "=?x?B?***?="};
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(40);
            for (int j = 0; j < n; j++) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.ISO_8859_1);
            MimeMessage m = MimeParser.parse(bytes);
            TestContent c = new TestContent(bytes);
            ImapFormat.bodyStructure(m, true, random.nextBoolean());
            ImapFormat.envelope(m, random.nextBoolean());
            SortKeys.of(m);
            MessageText.textContains(m, c, "x");
            checkOffsets(m.root(), bytes.length);
            int[] path = random.ints(random.nextInt(4), 0, 4).toArray();
            for (Section.Text text : Section.Text.values()) {
                TestContent.read(Sections.body(m, c, new Section(path, text, List.of("Subject", "x"))));
            }
            try {
                TestContent.read(Sections.binary(m, c, path));
            } catch (UnknownEncodingException e) {
                // expected for some paths: the part names an encoding we cannot decode
            }
        }
        for (int i = 0; i < 300; i++) {
            byte[] noise = new byte[random.nextInt(3000)];
            random.nextBytes(noise);
            MimeMessage m = MimeParser.parse(noise);
            ImapFormat.bodyStructure(m, true, false);
            ImapFormat.envelope(m, false);
            checkOffsets(m.root(), noise.length);
        }
    }

    static void checkOffsets(MimePart p, long size) {
        assertTrue(p.headerStart() <= p.bodyStart() && p.bodyStart() <= p.bodyEnd() && p.bodyEnd() <= size, p.toString());
        for (MimePart c : p.children()) {
            assertTrue(c.headerStart() >= p.bodyStart() && c.bodyEnd() <= p.bodyEnd(), c + " in " + p);
            checkOffsets(c, size);
        }
        p.attached().ifPresent(a -> checkOffsets(a.root(), size));
    }

    /** 50 MiB from a generator: the parse streams, so it needs no room for the bodies. */
    @Test
    void fiftyMebibytesStream() throws IOException {
        long partSize = 10L * 1024 * 1024;
        String head = "Subject: big\r\nContent-Type: multipart/mixed; boundary=big\r\n\r\n";
        MessageContent content = new GeneratedContent(head, 5, partSize);
        MimeMessage m = MimeParser.parse(content);
        assertEquals(5, m.root().children().size());
        for (MimePart p : m.root().children()) {
            // the last CRLF of each generated body belongs to the boundary that follows
            assertEquals(partSize - 2, p.bodySize());
            assertEquals(partSize / 64 - 1, p.bodyLines());
        }
        assertEquals(content.size(), m.size());
        assertTrue(MessageText.bodyContains(m, content, "LAST LINE OF PART 4"));
    }

    /** Parts of 64-byte lines, generated on the fly: the message never exists as a whole. */
    static final class GeneratedContent implements MessageContent {
        private final List<byte[]> fixed = new java.util.ArrayList<>();
        private final long linesPerPart;
        private final int parts;

        GeneratedContent(String head, int parts, long partSize) {
            this.parts = parts;
            this.linesPerPart = partSize / 64;
            fixed.add(head.getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < parts; i++) {
                fixed.add("--big\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            fixed.add("--big--\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        private static byte[] line(String text) {
            return (String.format("%-62s", text) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /** The message as a sequence of segments: fixed bytes, and part bodies of repeated lines. */
        private InputStream all() {
            List<InputStream> segments = new java.util.ArrayList<>();
            segments.add(new java.io.ByteArrayInputStream(fixed.get(0)));
            for (int i = 0; i < parts; i++) {
                segments.add(new java.io.ByteArrayInputStream(fixed.get(i + 1)));
                segments.add(new Repeat(line("A".repeat(62)), linesPerPart - 1));
                segments.add(new java.io.ByteArrayInputStream(line("last line of part " + i)));
            }
            segments.add(new java.io.ByteArrayInputStream(fixed.get(fixed.size() - 1)));
            return new java.io.SequenceInputStream(java.util.Collections.enumeration(segments));
        }

        @Override
        public long size() {
            long n = 0;
            for (byte[] b : fixed) {
                n += b.length;
            }
            return n + parts * linesPerPart * 64;
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            InputStream in = all();
            in.skipNBytes(offset);
            return new java.io.FilterInputStream(in) {
                long left = length;

                @Override
                public int read() throws IOException {
                    return left-- > 0 ? super.read() : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        }
    }

    /** One line, {@code times} times over. */
    static final class Repeat extends InputStream {
        private final byte[] line;
        private long left;
        private int pos;

        Repeat(byte[] line, long times) {
            this.line = line;
            this.left = times * line.length;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            int b = line[pos];
            pos = (pos + 1) % line.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = line[pos];
                pos = pos + 1 == line.length ? 0 : pos + 1;
            }
            left -= n;
            return n;
        }
    }
}
