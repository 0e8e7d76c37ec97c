package org.postbus.mime;

import org.osgi.annotation.versioning.ProviderType;
import org.postbus.api.store.MessageContent;
import org.postbus.mime.internal.section.SectionReader;

/** The bytes of FETCH BODY[section] and BINARY[part] (RFC 9051 section 6.4.5, RFC 3516). */
@ProviderType
public final class Sections {

    private Sections() {
    }

    /**
     * The bytes of BODY[section]: a view of the original bytes, or built bytes for
     * HEADER.FIELDS and HEADER.FIELDS.NOT; empty for a part that does not exist. Partial fetches
     * use {@code open(offset, length)} on the result.
     *
     * @param message the message parsed from {@code content}
     */
    public static MessageContent body(MimeMessage message, MessageContent content, Section section) {
        return SectionReader.body(message, content, section);
    }

    /**
     * The decoded bytes of BINARY[part] (RFC 3516); its {@code size()} is BINARY.SIZE (the
     * result decodes the part once to learn its size, and again on every {@code open}). The empty
     * part is the whole message, as stored; a part that does not exist is empty. Multipart and
     * message/rfc822 parts are sent as stored (their own encoding is 7bit/8bit/binary). Bad
     * base64 or quoted-printable is decoded leniently (bad characters skipped); a content that
     * cannot be read makes {@code size()} throw {@link java.io.UncheckedIOException}.
     *
     * @throws UnknownEncodingException for a transfer encoding it cannot decode (IMAP answers
     *     {@code NO [UNKNOWN-CTE]})
     */
    public static MessageContent binary(MimeMessage message, MessageContent content, int[] part)
            throws UnknownEncodingException {
        return SectionReader.binary(message, content, part);
    }
}
