package org.postbus.mime.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * The structured MIME fields: Content-Type and Content-Disposition ({@code value; name=value}),
 * with RFC 2231 parameter continuations and charsets, and Content-Language.
 */
final class ContentFields {

    /** A value and its parameters, raw (as IMAP reports them) and decoded. */
    record Parsed(String value, Map<String, String> raw, Map<String, String> decoded) {
    }

    private ContentFields() {
    }

    /** Parses {@code value *(";" name "=" value)}; the value ends at ';' and is trimmed of CFWS. */
    static Parsed parse(String s) {
        int i = skipCfws(s, 0);
        int semi = findSemicolon(s, i);
        String value = stripComments(s.substring(i, semi)).strip();
        List<String[]> params = new ArrayList<>();
        i = semi;
        while (i < s.length()) {
            i = skipCfws(s, i + 1);
            int nameEnd = i;
            while (nameEnd < s.length() && "=;".indexOf(s.charAt(nameEnd)) < 0) {
                nameEnd++;
            }
            String name = s.substring(i, nameEnd).strip();
            if (nameEnd >= s.length() || s.charAt(nameEnd) == ';') {
                i = nameEnd;
                continue;
            }
            i = skipCfws(s, nameEnd + 1);
            StringBuilder v = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                for (i++; i < s.length() && s.charAt(i) != '"'; i++) {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < s.length()) {
                        c = s.charAt(++i);
                    }
                    v.append(c);
                }
                i = findSemicolon(s, Math.min(i + 1, s.length()));
            } else {
                int end = findSemicolon(s, i);
                v.append(stripComments(s.substring(i, end)).strip());
                i = end;
            }
            if (!name.isEmpty()) {
                params.add(new String[] {name, v.toString()});
            }
        }
        return rfc2231(value, params);
    }

    /** Content-Language: comma-separated tags, comments dropped. */
    static List<String> languages(String s) {
        List<String> tags = new ArrayList<>();
        for (String t : stripComments(s).split(",")) {
            String tag = t.strip();
            if (!tag.isEmpty()) {
                tags.add(tag);
            }
        }
        return tags;
    }

    private static Parsed rfc2231(String value, List<String[]> params) {
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> decoded = new LinkedHashMap<>();
        // key: lower-case base name; segments by number (-1 for the single "name*" form)
        Map<String, TreeMap<Integer, String[]>> groups = new LinkedHashMap<>();
        Map<String, String> groupNames = new LinkedHashMap<>();
        for (String[] p : params) {
            String name = p[0];
            int star = name.indexOf('*');
            if (star <= 0) {
                raw.putIfAbsent(name, p[1]);
                putIfAbsentIgnoringCase(decoded, name, p[1]);
                continue;
            }
            String baseName = name.substring(0, star);
            String rest = name.substring(star + 1);
            boolean extended = rest.endsWith("*") || rest.isEmpty();
            String number = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
            int n;
            if (number.isEmpty()) {
                n = -1;
            } else {
                try {
                    n = Integer.parseInt(number);
                } catch (NumberFormatException e) {
                    raw.putIfAbsent(name, p[1]);
                    putIfAbsentIgnoringCase(decoded, name, p[1]);
                    continue;
                }
            }
            String key = baseName.toLowerCase(Locale.ROOT);
            groupNames.putIfAbsent(key, baseName);
            groups.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(n,
                    new String[] {p[1], extended ? "*" : ""});
        }
        for (Map.Entry<String, TreeMap<Integer, String[]>> g : groups.entrySet()) {
            String base = groupNames.get(g.getKey());
            TreeMap<Integer, String[]> segs = g.getValue();
            boolean firstExtended = !segs.firstEntry().getValue()[1].isEmpty();
            StringBuilder joined = new StringBuilder();
            for (String[] seg : segs.values()) {
                joined.append(seg[0]);
            }
            raw.putIfAbsent(base + (firstExtended ? "*" : ""), joined.toString());
            putIfAbsentIgnoringCase(decoded, base, decodeSegments(segs, firstExtended));
        }
        return new Parsed(value, raw, decoded);
    }

    private static String decodeSegments(TreeMap<Integer, String[]> segs, boolean firstExtended) {
        Charset charset = StandardCharsets.US_ASCII;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (String[] seg : segs.values()) {
            String v = seg[0];
            if (!seg[1].isEmpty()) {
                if (first && firstExtended) {
                    int q1 = v.indexOf('\'');
                    int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                    if (q2 > 0) {
                        charset = charsetOr(v.substring(0, q1), StandardCharsets.UTF_8);
                        v = v.substring(q2 + 1);
                    }
                }
                percentDecode(v, bytes);
            } else {
                bytes.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            }
            first = false;
        }
        byte[] b = bytes.toByteArray();
        if (charset == StandardCharsets.US_ASCII) {
            return HeaderText.chars(b, 0, b.length);
        }
        return new String(b, charset);
    }

    /** The charset by MIME name, or the fallback for an unknown or unsupported one. */
    static Charset charsetOr(String name, Charset fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        try {
            Charset c = CharsetUtil.lookup(name.strip());
            return c != null ? c : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length() && hex(v.charAt(i + 1)) >= 0 && hex(v.charAt(i + 2)) >= 0) {
                out.write(hex(v.charAt(i + 1)) * 16 + hex(v.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static void putIfAbsentIgnoringCase(Map<String, String> map, String name, String value) {
        for (String k : map.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return;
            }
        }
        map.put(name, value);
    }

    private static int skipCfws(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '(') {
                i = MessageIds.skipComment(s, i);
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static int findSemicolon(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ';') {
                return i;
            } else if (c == '"') {
                i = MessageIds.skipQuoted(s, i);
            } else if (c == '(') {
                i = MessageIds.skipComment(s, i);
            } else {
                i++;
            }
        }
        return s.length();
    }

    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '(') {
                i = MessageIds.skipComment(s, i);
            } else if (c == '"') {
                int end = MessageIds.skipQuoted(s, i);
                b.append(s, i, end);
                i = end;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
