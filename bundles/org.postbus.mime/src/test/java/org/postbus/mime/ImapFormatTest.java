package org.postbus.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImapFormatTest {

    static MimeMessage parse(String s) {
        return MimeParserTest.parse(s);
    }

    @Test
    void envelopeOfAnEmptyHeaderIsAllNil() {
        assertEquals("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", ImapFormat.envelope(parse("\r\nbody"), false));
    }

    @Test
    void senderAndReplyToDefaultToFrom() {
        String env = ImapFormat.envelope(parse("From: A <a@b.c>\r\nSender:\r\nSubject: hi\r\n\r\n"), false);
        assertEquals("(NIL \"hi\" ((\"A\" NIL \"a\" \"b.c\")) ((\"A\" NIL \"a\" \"b.c\")) ((\"A\" NIL \"a\" \"b.c\"))"
                + " NIL NIL NIL NIL NIL)", env);
    }

    @Test
    void groupsRoutesAndComments() {
        String env = ImapFormat.envelope(parse("To: A Group:Ed Jones <c@a.test>,joe@where.test;, x@y\r\n"
                + "Cc: Undisclosed recipients:;\r\nBcc: <@r1,@r2:m@h>, a@b (Comment Name)\r\n"
                + "From: single\r\n\r\n"), false);
        assertEquals("(NIL NIL ((NIL NIL \"single\" \"MISSING_DOMAIN\")) ((NIL NIL \"single\" \"MISSING_DOMAIN\"))"
                + " ((NIL NIL \"single\" \"MISSING_DOMAIN\"))"
                + " ((NIL NIL \"A Group\" NIL)(\"Ed Jones\" NIL \"c\" \"a.test\")(NIL NIL \"joe\" \"where.test\")"
                + "(NIL NIL NIL NIL)(NIL NIL \"x\" \"y\"))"
                + " ((NIL NIL \"Undisclosed recipients\" NIL)(NIL NIL NIL NIL))"
                + " ((NIL \"@r1,@r2\" \"m\" \"h\")(\"Comment Name\" NIL \"a\" \"b\")) NIL NIL)", env);
    }

    @Test
    void encodedWordsStayEncodedAndEightBitNeedsLiteralsUnlessUtf8() {
        MimeMessage m = parse("Subject: =?utf-8?q?caf=C3=A9?=\r\nFrom: Jörg <j@x>\r\n\r\n");
        String plain = ImapFormat.envelope(m, false);
        assertEquals("(NIL \"=?utf-8?q?caf=C3=A9?=\" (({5}\r\nJörg NIL \"j\" \"x\")) (({5}\r\nJörg NIL \"j\" \"x\"))"
                + " (({5}\r\nJörg NIL \"j\" \"x\")) NIL NIL NIL NIL NIL)", plain);
        String utf8 = ImapFormat.envelope(m, true);
        assertEquals("(NIL \"=?utf-8?q?caf=C3=A9?=\" ((\"Jörg\" NIL \"j\" \"x\")) ((\"Jörg\" NIL \"j\" \"x\"))"
                + " ((\"Jörg\" NIL \"j\" \"x\")) NIL NIL NIL NIL NIL)", utf8);
    }

    @Test
    void literalCountsUtf8Bytes() {
        String env = ImapFormat.envelope(parse("Subject: 日本\r\n\r\n"), false);
        assertEquals("(NIL {6}\r\n日本 NIL NIL NIL NIL NIL NIL NIL NIL)", env);
    }

    @Test
    void quotesAndBackslashes() {
        String env = ImapFormat.envelope(parse("Subject: say \"hi\"\r\nMessage-ID: <\"q\"@x>\r\n\r\n"), false);
        assertEquals("(NIL {8}\r\nsay \"hi\" NIL NIL NIL NIL NIL NIL NIL \"<\\\"q\\\"@x>\")", env);
    }

    @Test
    void foldedSubjectIsUnfoldedAsALiteral() {
        String env = ImapFormat.envelope(parse("Subject: a\r\n\tb   c\r\n\r\n"), true);
        assertEquals("(NIL {5}\r\na b c NIL NIL NIL NIL NIL NIL NIL NIL)", env);
    }

    @Test
    void defaultBodyStructure() {
        MimeMessage m = parse("Subject: x\r\n\r\nline\r\n");
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1 NIL NIL NIL NIL)",
                ImapFormat.bodyStructure(m, true, false));
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1)",
                ImapFormat.bodyStructure(m, false, false));
    }

    @Test
    void textWithoutCharsetGetsUsAsciiFirst() {
        MimeMessage m = parse("Content-Type: text/html; name=a.html\r\n\r\n<p>\r\n");
        assertEquals("(\"text\" \"html\" (\"charset\" \"us-ascii\" \"name\" \"a.html\") NIL NIL \"7bit\" 5 1)",
                ImapFormat.bodyStructure(m, false, false));
    }

    @Test
    void basicMultipartAndMessageParts() {
        MimeMessage m = parse("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: image/png; name=\"a.png\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: inline; filename=a.png\r\nContent-Language: en\r\n\r\niVBO\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: in\r\n\r\nx\r\n--b--\r\n");
        assertEquals("((\"image\" \"png\" (\"name\" \"a.png\") NIL NIL \"base64\" 4 NIL (\"inline\" (\"filename\" \"a.png\"))"
                + " (\"en\") NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 16"
                + " (NIL \"in\" NIL NIL NIL NIL NIL NIL NIL NIL)"
                + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0 NIL NIL NIL NIL) 2 NIL NIL NIL NIL)"
                + " \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)", ImapFormat.bodyStructure(m, true, false));
        assertEquals("((\"image\" \"png\" (\"name\" \"a.png\") NIL NIL \"base64\" 4)(\"message\" \"rfc822\" NIL NIL NIL"
                + " \"7bit\" 16 (NIL \"in\" NIL NIL NIL NIL NIL NIL NIL NIL)"
                + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0) 2) \"mixed\")",
                ImapFormat.bodyStructure(m, false, false));
    }

    @Test
    void parameterValuesWithLineBreaksOrEightBitAreLiterals() {
        MimeMessage m = parse("Content-Type: application/x; name=\"Grüße.txt\"\r\n\r\n");
        assertEquals("(\"application\" \"x\" (\"name\" {11}\r\nGrüße.txt) NIL NIL \"7bit\" 0)",
                ImapFormat.bodyStructure(m, false, false));
        assertEquals("(\"application\" \"x\" (\"name\" \"Grüße.txt\") NIL NIL \"7bit\" 0)",
                ImapFormat.bodyStructure(m, false, true));
    }

    @Test
    void messageGlobalIsAMessageForRev2AndBasicForRev1() {
        MimeMessage m = parse("Content-Type: message/global\r\n\r\nSubject: Grüße\r\n\r\nHallo\r\n");
        assertEquals("(\"message\" \"global\" NIL NIL NIL \"7bit\" 27)", ImapFormat.bodyStructure(m, false, false));
        assertEquals("(\"message\" \"global\" NIL NIL NIL \"7bit\" 27 (NIL \"Grüße\" NIL NIL NIL NIL NIL NIL NIL NIL)"
                + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 7 1) 3)",
                ImapFormat.bodyStructure(m, false, true));
    }

    @Test
    void messageNestedBeyondTheCapStillHasMessageFields() {
        MimeMessage m = parse("Content-Type: message/rfc822\r\n\r\n".repeat(101) + "x");
        String s = ImapFormat.bodyStructure(m, false, false);
        // 100 attached messages followed, the 101st shown with an empty envelope
        assertEquals(101, s.split("\\(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL\\)", -1).length - 1);
        assertEquals(true, s.contains("\"7bit\" 1 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"
                + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0) 0)"));
    }

    @Test
    void nulNeverReachesTheClient() {
        MimeMessage m = MimeParser.parse("Subject: a\0b\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals("(NIL \"a?b\" NIL NIL NIL NIL NIL NIL NIL NIL)", ImapFormat.envelope(m, false));
    }

    @Test
    void threadResponses() {
        // RFC 5256 section 4's example: (2)(3 6 (4 23)(44 7 96))
        List<ThreadNode> roots = List.of(new ThreadNode(2),
                new ThreadNode(3, List.of(new ThreadNode(6, List.of(
                        new ThreadNode(4, List.of(new ThreadNode(23))),
                        new ThreadNode(44, List.of(new ThreadNode(7, List.of(new ThreadNode(96))))))))));
        assertEquals("(2)(3 6 (4 23)(44 7 96))", ImapFormat.thread(roots));
        // and a dummy parent: ((3)(5))
        assertEquals("((3)(5))", ImapFormat.thread(List.of(new ThreadNode(0, List.of(new ThreadNode(3), new ThreadNode(5))))));
        assertEquals("(1 (2)(3))", ImapFormat.thread(List.of(new ThreadNode(1, List.of(new ThreadNode(2), new ThreadNode(3))))));
        assertEquals("", ImapFormat.thread(List.of()));
    }
}
