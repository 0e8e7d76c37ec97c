package org.postbus.smtp.internal.command;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** A client's base64 line in an AUTH exchange (RFC 4954 4). */
final class SaslResponse {

    /** The line that cancels the exchange. */
    static final String CANCEL = "*";

    private SaslResponse() {
    }

    /**
     * Decodes a response; {@code =} is the empty initial response.
     *
     * @throws Refusal 501 5.5.2 if it is not base64
     */
    static byte[] decode(String line) throws Refusal {
        String text = line.strip();
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(501, "5.5.2", "Cannot decode response");
        }
    }

    /** Decodes UTF-8 into characters that can be wiped after use, wiping the bytes. */
    static char[] chars(byte[] bytes, int offset, int length) throws Refusal {
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            char[] chars = new char[decoded.remaining()];
            decoded.get(chars);
            Arrays.fill(decoded.array(), '\0');
            return chars;
        } catch (CharacterCodingException e) {
            throw new Refusal(501, "5.5.2", "Response is not UTF-8");
        } finally {
            Arrays.fill(bytes, offset, offset + length, (byte) 0);
        }
    }
}
