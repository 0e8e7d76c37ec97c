package org.postbus.smtp.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An SMTP reply (RFC 5321 4.2): a three-digit code, an RFC 3463 enhanced status code (empty for
 * the greeting and the EHLO and HELO replies, RFC 2034 3) and one or more lines of text.
 *
 * @param code the reply code, 200 to 599
 * @param status the enhanced status code such as {@code 2.1.5}, or empty
 * @param lines the text, one entry per line; never empty
 */
public record Reply(int code, String status, List<String> lines) {

    /** Checks the code and copies the lines, replacing control characters. */
    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not a reply code: " + code);
        }
        Objects.requireNonNull(status, "status");
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        lines = lines.stream().map(Reply::printable).toList();
    }

    /** A one-line reply. */
    public static Reply of(int code, String status, String text) {
        return new Reply(code, status, List.of(text));
    }

    /** Whether this is a 4xx or 5xx reply. */
    public boolean isError() {
        return code >= 400;
    }

    /** The reply as sent: each line {@code code[-| ]status text CRLF}. */
    public byte[] encode() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (!status.isEmpty()) {
                out.append(status).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
