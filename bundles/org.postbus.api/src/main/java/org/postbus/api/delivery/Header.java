package org.postbus.api.delivery;

import java.util.Objects;

/**
 * A header field to add to a message.
 *
 * @param name the field name, such as {@code X-Spam-Status}
 * @param value the unfolded value
 */
public record Header(String name, String value) {

    /** Checks the name is a valid field name and the value has no bare line breaks. */
    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException("not a header field name: " + name);
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header value must be unfolded: " + name);
        }
    }
}
