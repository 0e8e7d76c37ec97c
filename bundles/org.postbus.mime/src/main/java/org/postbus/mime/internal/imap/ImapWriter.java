package org.postbus.mime.internal.imap;

import java.nio.charset.StandardCharsets;

/**
 * Builds IMAP response data: NIL, quoted strings and literals (RFC 9051 section 4.3), the way
 * Dovecot chooses between them. A string goes out quoted (quote and backslash escaped) unless it
 * has a CR, LF or NUL, or 8-bit text for a client that has not enabled UTF-8; then it is a literal
 * whose count is its UTF-8 byte length. Text "for humans" (subjects, display names) also goes out
 * as a literal when it holds a quote or backslash or had to be changed (unfolded).
 */
public final class ImapWriter {

    private final StringBuilder out = new StringBuilder(256);
    private final boolean utf8;

    public ImapWriter(boolean utf8) {
        this.utf8 = utf8;
    }

    public ImapWriter raw(String s) {
        out.append(s);
        return this;
    }

    public ImapWriter raw(char c) {
        out.append(c);
        return this;
    }

    public ImapWriter nil() {
        out.append("NIL");
        return this;
    }

    /** A string, or NIL for null. */
    public ImapWriter nstring(String s) {
        return s == null ? nil() : string(s);
    }

    public ImapWriter string(String s) {
        s = withoutNul(s);
        if (needsLiteral(s)) {
            literal(s);
        } else {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        }
        return this;
    }

    /** Text for humans: a literal when it was changed or holds a quote or backslash. */
    public ImapWriter humanString(String s, boolean changed) {
        if (s == null) {
            return nil();
        }
        if (changed || s.indexOf('"') >= 0 || s.indexOf('\\') >= 0 || needsLiteral(s)) {
            return literal(s);
        }
        return string(s);
    }

    public ImapWriter literal(String s) {
        s = withoutNul(s);
        out.append('{').append(s.getBytes(StandardCharsets.UTF_8).length).append("}\r\n").append(s);
        return this;
    }

    public ImapWriter number(long n) {
        out.append(n);
        return this;
    }

    /** IMAP strings cannot carry NUL, not even in a literal (RFC 9051 section 4.3). */
    private String withoutNul(String s) {
        return s.indexOf(0) < 0 ? s : s.replace('\0', utf8 ? '\uFFFD' : '?');
    }

    /** Whether the string cannot be sent quoted to this client. */
    public boolean needsLiteral(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || (c >= 0x80 && !utf8)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
