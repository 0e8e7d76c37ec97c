package org.postbus.admin.internal.migrate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * IMAP's modified UTF-7 (RFC 3501 section 5.1.3), in which Dovecot and Courier write non-ASCII
 * folder names on disk: {@code Entw&APw-rfe} is {@code Entwürfe}.
 */
final class ModifiedUtf7 {

    private ModifiedUtf7() {
    }

    /**
     * Decodes a name.
     *
     * @throws IllegalArgumentException if it is not modified UTF-7 (raw 8-bit characters, an
     *     unterminated or malformed {@code &...-} sequence)
     */
    static String decode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("not modified UTF-7: contains character U+"
                        + String.format("%04X", (int) c));
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = text.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("not modified UTF-7: '&' without closing '-'");
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                out.append(decodeRun(text.substring(i + 1, end)));
            }
            i = end + 1;
        }
        return out.toString();
    }

    private static String decodeRun(String run) {
        for (int k = 0; k < run.length(); k++) {
            char c = run.charAt(k);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == ',')) {
                throw new IllegalArgumentException("not modified UTF-7: '" + c + "' inside &...-");
            }
        }
        byte[] utf16;
        try {
            utf16 = Base64.getDecoder().decode(run.replace(',', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not modified UTF-7: bad base64 in &" + run + "-");
        }
        if (utf16.length == 0 || utf16.length % 2 != 0) {
            throw new IllegalArgumentException("not modified UTF-7: &" + run + "- is not UTF-16");
        }
        try {
            return StandardCharsets.UTF_16BE.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf16)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not modified UTF-7: &" + run + "- is not valid UTF-16");
        }
    }

    /** Encodes a name. */
    static String encode(String text) {
        return encode(text, "");
    }

    /**
     * Encodes a name, encoding also the printable characters in {@code alsoEncode} (which a
     * strict decoder may refuse, but which this class reads back).
     */
    static String encode(String text, String alsoEncode) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (direct(c, alsoEncode)) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && !direct(text.charAt(i), alsoEncode)) {
                i++;
            }
            byte[] utf16 = text.substring(start, i).getBytes(StandardCharsets.UTF_16BE);
            out.append('&')
                    .append(Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ','))
                    .append('-');
        }
        return out.toString();
    }

    private static boolean direct(char c, String alsoEncode) {
        return c >= 0x20 && c <= 0x7e && alsoEncode.indexOf(c) < 0;
    }
}
