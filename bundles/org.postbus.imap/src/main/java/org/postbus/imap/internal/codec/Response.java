package org.postbus.imap.internal.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds one server response line (or several) as bytes, choosing for each string the form
 * RFC 9051 allows: a quoted string when it can be one, otherwise a literal.
 */
public final class Response {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    private final boolean utf8;

    /**
     * @param utf8 whether the client accepts UTF-8 in quoted strings (IMAP4rev2 or UTF8=ACCEPT)
     */
    public Response(boolean utf8) {
        this.utf8 = utf8;
    }

    /** Appends text as it is (ASCII or UTF-8). */
    public Response raw(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        return this;
    }

    /** Appends bytes as they are. */
    public Response raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** Appends one character. */
    public Response ch(char c) {
        out.write(c);
        return this;
    }

    /** Appends a number. */
    public Response num(long n) {
        return raw(Long.toString(n));
    }

    /** Appends a string, quoted or as a literal. */
    public Response string(String s) {
        if (canQuote(s, utf8)) {
            out.write('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.write('\\');
                }
                if (c < 0x80) {
                    out.write(c);
                } else {
                    byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                        b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                        i++;
                    }
                    out.write(b, 0, b.length);
                }
            }
            out.write('"');
            return this;
        }
        return literal(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends NIL for null, else a string. */
    public Response nstring(String s) {
        return s == null ? raw("NIL") : string(s);
    }

    /** Appends an astring: an atom when the text is one, else a string. */
    public Response astring(String s) {
        if (!s.isEmpty() && isAtom(s) && !s.equalsIgnoreCase("NIL")) {
            return raw(s);
        }
        return string(s);
    }

    /** Appends a literal. */
    public Response literal(byte[] bytes) {
        raw("{" + bytes.length + "}\r\n");
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** Appends CRLF. */
    public Response crlf() {
        out.write('\r');
        out.write('\n');
        return this;
    }

    /** The bytes so far. */
    public byte[] bytes() {
        return out.toByteArray();
    }

    /** How many bytes so far. */
    public int size() {
        return out.size();
    }

    /** Forgets what was written. */
    public void reset() {
        out.reset();
    }

    static boolean isAtom(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!ImapParser.isAstringChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean canQuote(String s, boolean utf8) {
        if (s.length() > 1024) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || (c >= 0x80 && !utf8)) {
                return false;
            }
        }
        return true;
    }
}
