package org.postbus.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every corpus message (src/test/resources/corpus/*.eml) is parsed and rendered, and each FETCH
 * item is compared with what Dovecot 2.3 answered for the same message (NAME.dovecot, recorded by
 * dovecot/record.py). Where Postbus differs on purpose, DIFFERENCES.txt gives our value and why.
 */
class CorpusTest {

    static final List<String> MESSAGES = List.of("address-oddities", "alternative", "attachment", "bad-headers", "base64-text", "bounce", "calendar", "outlook-related",
            "boundary-never-found", "digest", "eight-bit-headers", "empty-body", "empty-parts", "message-global", "mixed-line-ends", "odd-syntax", "encoded-words",
            "folded-and-repeated", "forwarded", "groups", "header-only", "latin1-header-bytes", "lf-only",
            "missing-final-boundary", "multipart-without-boundary", "nested-boundary-prefix",
            "outer-boundary-ends-inner", "params", "prefixed-subject", "quoting",
            "rfc822-attachment-nonmultipart", "signed", "simple", "unknown-cte");

    @TestFactory
    Stream<DynamicTest> matchesDovecot() throws IOException {
        Map<String, String> differences = differences();
        return MESSAGES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            TestContent content = TestContent.resource("/corpus/" + name + ".eml");
            MimeMessage m = MimeParser.parse(content);
            List<String> mismatches = new ArrayList<>();
            for (String line : lines("/corpus/" + name + ".dovecot")) {
                int tab = line.indexOf('\t');
                String item = line.substring(0, tab);
                String recorded = line.substring(tab + 1);
                byte[] dovecot = switch (recorded) {
                    case "NIL" -> new byte[0];
                    case "NO" -> "NO".getBytes(StandardCharsets.US_ASCII);
                    default -> Base64.getDecoder().decode(recorded);
                };
                byte[] ours = ours(m, content, item);
                String expectedOverride = differences.get(name + "\t" + item);
                byte[] expected = expectedOverride != null
                        ? unescape(expectedOverride).getBytes(StandardCharsets.UTF_8) : dovecot;
                if (!Arrays.equals(expected, ours)) {
                    mismatches.add(item + "\n  expected: " + show(expected) + "\n  postbus:  " + show(ours)
                            + (expectedOverride != null ? "\n  dovecot:  " + show(dovecot) : "")
                            + "\n  DIFF\t" + name + "\t" + item + "\t" + show(ours));
                }
            }
            assertTrue(mismatches.isEmpty(), name + ":\n" + String.join("\n", mismatches));
        }));
    }

    /**
     * A header-only parse (what SEARCH on header fields, ENVELOPE and header sections use) gives
     * the same answers as the full parse for everything it claims to know.
     */
    @TestFactory
    Stream<DynamicTest> headerOnlyParseAgreesWithFullParse() {
        return MESSAGES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            TestContent content = TestContent.resource("/corpus/" + name + ".eml");
            MimeMessage full = MimeParser.parse(content);
            MimeMessage head = MimeParser.parseHeader(content);
            assertTrue(head.headerOnly());
            assertFalse(full.headerOnly());
            assertEquals(full.fields().toString(), head.fields().toString());
            assertEquals(full.root().headerStart(), head.root().headerStart());
            assertEquals(full.root().bodyStart(), head.root().bodyStart());
            assertEquals(full.root().bodyEnd(), head.root().bodyEnd());
            assertEquals(full.messageId(), head.messageId());
            assertEquals(full.references(), head.references());
            assertEquals(full.sentDate(), head.sentDate());
            assertEquals(SortKeys.of(full), SortKeys.of(head));
            for (String item : List.of("ENVELOPE", "BODY[HEADER]", "BODY[TEXT]", "BODY[]",
                    "BODY[HEADER.FIELDS (FROM TO SUBJECT DATE)]", "BODY[HEADER.FIELDS.NOT (RECEIVED SUBJECT)]")) {
                assertArrayEquals(ours(full, content, item), ours(head, content, item), item);
            }
            for (String needle : List.of("a", "re", "the", "")) {
                assertEquals(MessageText.headerContains(full, content, "Subject", needle),
                        MessageText.headerContains(head, content, "Subject", needle), needle);
            }
            assertThrows(IllegalArgumentException.class, () -> ImapFormat.bodyStructure(head, true, false));
        }));
    }

    static byte[] ours(MimeMessage m, TestContent content, String item) {
        String result;
        if (item.equals("BODYSTRUCTURE")) {
            result = ImapFormat.bodyStructure(m, true, false);
        } else if (item.equals("BODY")) {
            result = ImapFormat.bodyStructure(m, false, false);
        } else if (item.equals("ENVELOPE")) {
            result = ImapFormat.envelope(m, false);
        } else if (item.startsWith("BODY[")) {
            return TestContent.read(Sections.body(m, content, section(item.substring(5, item.length() - 1))));
        } else if (item.startsWith("BINARY.SIZE[")) {
            try {
                result = Long.toString(Sections.binary(m, content, path(item.substring(12, item.length() - 1))).size());
            } catch (UnknownEncodingException e) {
                result = "NO";
            }
        } else if (item.startsWith("BINARY[")) {
            try {
                return TestContent.read(Sections.binary(m, content, path(item.substring(7, item.length() - 1))));
            } catch (UnknownEncodingException e) {
                result = "NO";
            }
        } else {
            throw new IllegalArgumentException(item);
        }
        return result.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a section spec like {@code 2.1.HEADER.FIELDS (A B)} (the IMAP server's job). */
    static Section section(String spec) {
        List<Integer> nums = new ArrayList<>();
        String rest = spec;
        while (!rest.isEmpty() && Character.isDigit(rest.charAt(0))) {
            int dot = rest.indexOf('.');
            String n = dot < 0 ? rest : rest.substring(0, dot);
            if (!n.chars().allMatch(Character::isDigit)) {
                break;
            }
            nums.add(Integer.parseInt(n));
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        int[] part = nums.stream().mapToInt(Integer::intValue).toArray();
        List<String> fields = List.of();
        int paren = rest.indexOf('(');
        if (paren >= 0) {
            fields = List.of(rest.substring(paren + 1, rest.indexOf(')')).trim().split(" +"));
            rest = rest.substring(0, paren).trim();
        }
        Section.Text text = switch (rest) {
            case "" -> Section.Text.NONE;
            case "HEADER" -> Section.Text.HEADER;
            case "TEXT" -> Section.Text.TEXT;
            case "MIME" -> Section.Text.MIME;
            case "HEADER.FIELDS" -> Section.Text.HEADER_FIELDS;
            case "HEADER.FIELDS.NOT" -> Section.Text.HEADER_FIELDS_NOT;
            default -> throw new IllegalArgumentException(spec);
        };
        return new Section(part, text, fields);
    }

    static int[] path(String spec) {
        return spec.isEmpty() ? new int[0] : Arrays.stream(spec.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    /** DIFFERENCES.txt: {@code name TAB item TAB postbus value (\r \n \\ escaped) TAB why}. */
    static Map<String, String> differences() throws IOException {
        Map<String, String> map = new HashMap<>();
        for (String line : lines("/corpus/DIFFERENCES.txt")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            map.put(f[0] + "\t" + f[1], f[2]);
        }
        return map;
    }

    static List<String> lines(String resource) throws IOException {
        try (InputStream in = Objects.requireNonNull(CorpusTest.class.getResourceAsStream(resource), resource);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'r' ? '\r' : n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String show(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
