package org.postbus.mime.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.stream.RawField;

/** Header text: bytes to characters, unfolding, RFC 2047 decoding and dates, all lenient. */
public final class HeaderText {

    private HeaderText() {
    }

    /**
     * Characters of header bytes: UTF-8 when the bytes are valid UTF-8 (RFC 6532 headers), else
     * ISO-8859-1, so that no byte is lost or replaced.
     */
    public static String chars(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * RFC 2047 decoded text; encoded words with an unknown charset or broken encoding stay as
     * they are.
     */
    public static String decode(String raw) {
        if (raw.indexOf("=?") < 0) {
            return raw.strip();
        }
        try {
            return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT).strip();
        } catch (RuntimeException e) {
            // Mime4j is lenient, but a field must never fail a search or a sort.
            return raw.strip();
        }
    }

    /** The Date: header parsed leniently (RFC 5322 and the obsolete forms). */
    public static Optional<Instant> parseDate(String value) {
        try {
            DateTimeField field = DateTimeFieldLenientImpl.PARSER.parse(new RawField("Date", value),
                    DecodeMonitor.SILENT);
            Date date = field.getDate();
            return date == null ? Optional.empty() : Optional.of(date.toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
