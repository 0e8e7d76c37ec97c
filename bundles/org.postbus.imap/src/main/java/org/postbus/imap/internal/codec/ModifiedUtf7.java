package org.postbus.imap.internal.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Modified UTF-7 for mailbox names (RFC 3501 section 5.1.3), used with clients that have not
 * enabled UTF-8 (RFC 9051 section 5.1, RFC 6855).
 */
public final class ModifiedUtf7 {

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private ModifiedUtf7() {
    }

    /** Encodes a Unicode name. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int j = i;
            while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
                j++;
            }
            byte[] utf16 = name.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
            out.append('&').append(ENCODER.encodeToString(utf16).replace('/', ',')).append('-');
            i = j;
        }
        return out.toString();
    }

    /**
     * Decodes a name.
     *
     * @throws IllegalArgumentException if it is not valid modified UTF-7
     */
    public static String decode(String name) {
        StringBuilder out = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c > 0x7e || c < 0x20) {
                throw new IllegalArgumentException("8-bit character in a modified UTF-7 name");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int dash = name.indexOf('-', i + 1);
            if (dash < 0) {
                throw new IllegalArgumentException("unterminated '&' in mailbox name");
            }
            if (dash == i + 1) {
                out.append('&');
            } else {
                String b64 = name.substring(i + 1, dash).replace(',', '/');
                byte[] bytes;
                try {
                    bytes = DECODER.decode(b64);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid modified UTF-7 in mailbox name");
                }
                if (bytes.length % 2 != 0) {
                    throw new IllegalArgumentException("invalid modified UTF-7 in mailbox name");
                }
                try {
                    CharBuffer chars = StandardCharsets.UTF_16BE.newDecoder().decode(ByteBuffer.wrap(bytes));
                    out.append(chars);
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new IllegalArgumentException("invalid modified UTF-7 in mailbox name");
                }
            }
            i = dash + 1;
        }
        String decoded = out.toString();
        // RFC 3501 5.1.3: a printable ASCII character never goes into base64, and there is one
        // spelling per name; any other spelling would name a mailbox the client did not write.
        if (!encode(decoded).equals(name)) {
            throw new IllegalArgumentException("non-canonical modified UTF-7 in mailbox name");
        }
        return decoded;
    }
}
