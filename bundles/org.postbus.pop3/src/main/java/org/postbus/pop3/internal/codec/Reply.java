package org.postbus.pop3.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A POP3 status line (RFC 1939 3): {@code +OK text} or {@code -ERR [CODE] text}, with an
 * extended response code (RFC 2449 8, RFC 3206) on errors where one applies.
 *
 * @param ok whether it is {@code +OK}
 * @param code the response code without brackets, such as {@code AUTH} or {@code SYS/TEMP}; empty for none
 * @param text the text; control characters are replaced by spaces
 */
public record Reply(boolean ok, String code, String text) {

    /** RFC 3206: the credentials are wrong; the client should ask the user for new ones. */
    public static final String AUTH = "AUTH";
    /** RFC 3206: a temporary problem on our side; the client may try again later. */
    public static final String SYS_TEMP = "SYS/TEMP";
    /** RFC 3206: a permanent problem the user must be told about. */
    public static final String SYS_PERM = "SYS/PERM";
    /** RFC 2449: the maildrop is in use by another session. */
    public static final String IN_USE = "IN-USE";

    /** Checks the parts and cleans the text. */
    public Reply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
        text = printable(text);
    }

    /** {@code +OK text}. */
    public static Reply ok(String text) {
        return new Reply(true, "", text);
    }

    /** {@code -ERR text}. */
    public static Reply err(String text) {
        return new Reply(false, "", text);
    }

    /** {@code -ERR [code] text}. */
    public static Reply err(String code, String text) {
        return new Reply(false, code, text);
    }

    /** The line as sent, with its CRLF. */
    public byte[] encode() {
        StringBuilder out = new StringBuilder(text.length() + 16);
        out.append(ok ? "+OK" : "-ERR");
        if (!code.isEmpty()) {
            out.append(" [").append(code).append(']');
        }
        if (!text.isEmpty()) {
            out.append(' ').append(text);
        }
        return out.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> clean.appendCodePoint(c < 32 || c == 127 ? ' ' : c));
        return clean.toString();
    }

    @Override
    public String toString() {
        return new String(encode(), StandardCharsets.UTF_8).strip();
    }
}
