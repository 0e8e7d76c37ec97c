package org.postbus.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A message to store into a mailbox.
 *
 * @param content the message in RFC 5322 form (CRLF line ends)
 * @param flags its initial flags
 * @param internalDate its internal date (APPEND's date-time, or the time of receipt)
 */
public record AppendRequest(MessageContent content, Flags flags, Instant internalDate) {

    /** Checks the parts are present. */
    public AppendRequest {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
    }
}
