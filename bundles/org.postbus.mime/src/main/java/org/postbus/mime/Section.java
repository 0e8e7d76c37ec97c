package org.postbus.mime;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A FETCH section, parsed by the IMAP server: {@code BODY[1.2.HEADER.FIELDS (A B)]} is part
 * {@code {1,2}}, {@link Text#HEADER_FIELDS}, {@code [A, B]}; {@code BODY[]} is the empty part with
 * {@link Text#NONE}.
 *
 * @param part the part numbers, 1-based, empty for the whole message
 * @param text what of that part
 * @param fields the field names of HEADER.FIELDS and HEADER.FIELDS.NOT, else empty
 */
@ProviderType
public record Section(int[] part, Text text, List<String> fields) {

    /** The text specifier of a section. */
    public enum Text {
        /** The part itself: the whole message for the empty part, else the part's body. */
        NONE,
        /** The header of the message (or of the message/rfc822 part), including the blank line. */
        HEADER,
        /** The named header fields, in message order, followed by a blank line. */
        HEADER_FIELDS,
        /** All header fields but the named ones, followed by a blank line. */
        HEADER_FIELDS_NOT,
        /** The body of the message (or of the message/rfc822 part), without its header. */
        TEXT,
        /** The part's own MIME header, including the blank line. */
        MIME
    }

    /** Copies the arguments so that the section cannot change. */
    public Section {
        part = part.clone();
        Objects.requireNonNull(text, "text");
        fields = List.copyOf(fields);
    }

    /** A section with no field list. */
    public Section(int[] part, Text text) {
        this(part, text, List.of());
    }

    /** The part numbers (a copy). */
    @Override
    public int[] part() {
        return part.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Section s && Arrays.equals(part, s.part) && text == s.text && fields.equals(s.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(part), text, fields);
    }

    @Override
    public String toString() {
        return "Section" + Arrays.toString(part) + text + fields;
    }
}
