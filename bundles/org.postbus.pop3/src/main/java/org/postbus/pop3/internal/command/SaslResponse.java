package org.postbus.pop3.internal.command;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/** A client's base64 line in an AUTH exchange (RFC 5034 4). */
final class SaslResponse {

    /** The line that cancels the exchange. */
    static final String CANCEL = "*";

    private SaslResponse() {
    }

    /** Decodes a response; {@code =} is the empty initial response. Empty if it is not base64. */
    static Optional<byte[]> decode(String line) {
        String text = line.strip();
        if (text.equals("=")) {
            return Optional.of(new byte[0]);
        }
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Decodes UTF-8 into characters that can be wiped after use, wiping the bytes; empty if not UTF-8. */
    static Optional<char[]> chars(byte[] bytes, int offset, int length) {
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            char[] chars = new char[decoded.remaining()];
            decoded.get(chars);
            Arrays.fill(decoded.array(), '\0');
            return Optional.of(chars);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(bytes, offset, offset + length, (byte) 0);
        }
    }
}
