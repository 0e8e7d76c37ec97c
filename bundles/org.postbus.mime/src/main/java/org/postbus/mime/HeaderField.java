package org.postbus.mime;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One header field as it appears in the message: its name as written and its value unfolded
 * (the line breaks before continuation lines removed, their whitespace kept) but otherwise raw,
 * with no RFC 2047 decoding. Bytes that are not valid UTF-8 are read as ISO-8859-1.
 *
 * @param name the field name, as written (whitespace before the colon removed)
 * @param value the value after the colon and the whitespace that follows it, unfolded
 * @param folded whether the field was written over more than one line
 */
@ProviderType
public record HeaderField(String name, String value, boolean folded) {

    /** Checks that neither is null. */
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** A field written on one line. */
    public HeaderField(String name, String value) {
        this(name, value, false);
    }

    /** Whether this field has the given name, ignoring ASCII case. */
    public boolean is(String fieldName) {
        return name.equalsIgnoreCase(fieldName);
    }
}
