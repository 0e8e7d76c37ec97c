package org.postbus.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.api.store.MessageContent;
import org.postbus.mime.internal.StructureParser;

/**
 * Parses the structure of a message in one streaming pass: header fields, MIME parts and their
 * byte offsets. Bodies are read but not kept, so a message of any size needs memory only for its
 * structure. Malformed MIME never fails the parse: it is read as well as it can be (a missing
 * final boundary ends the part at the end of the enclosing one, an unknown type is a basic part,
 * nesting deeper than {@value StructureParser#MAX_DEPTH} levels is kept as an opaque body).
 */
@ProviderType
public final class MimeParser {

    private static final int HEADER_GUESS = 8 * 1024;

    private MimeParser() {
    }

    /**
     * Parses the message's structure in one streaming pass; never fails on malformed MIME.
     *
     * @throws IOException only when the content cannot be read
     */
    public static MimeMessage parse(MessageContent content) throws IOException {
        try (InputStream in = content.open()) {
            return new MimeMessage(new MimePart(new StructureParser(in, content.size()).parse()), false);
        }
    }

    /**
     * Reads only the message's top-level header, which is all that ENVELOPE, header sections,
     * header searches, sort keys and threading need: a fraction of the bytes of a full parse.
     * The result says {@link MimeMessage#headerOnly()}; its root has no children and no line
     * count, so it must not be used for BODYSTRUCTURE, parts or body text.
     *
     * @throws IOException only when the content cannot be read
     */
    public static MimeMessage parseHeader(MessageContent content) throws IOException {
        try (InputStream in = content.open()) {
            // Most headers fit in 8 KiB; a longer one is read on in further chunks.
            return new MimeMessage(
                    new MimePart(new StructureParser(in, Math.min(content.size(), HEADER_GUESS))
                            .parseHeader(content.size())),
                    true);
        }
    }

    /** Parses a message held in memory; never fails on malformed MIME. */
    public static MimeMessage parse(byte[] message) {
        try {
            return parse(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to read", e);
        }
    }

    /**
     * Parses a message from a stream, which is read to its end but not closed.
     *
     * @throws IOException only when the stream cannot be read
     */
    public static MimeMessage parse(InputStream in) throws IOException {
        return new MimeMessage(new MimePart(new StructureParser(in).parse()), false);
    }
}
