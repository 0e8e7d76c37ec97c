package org.postbus.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows about a message without reading its content.
 *
 * @param uid its UID in the mailbox
 * @param modSeq the MODSEQ of its last change
 * @param flags its flags
 * @param internalDate the date the message was received (or given at APPEND)
 * @param saveDate when it was saved into this mailbox (RFC 8514)
 * @param size its size in bytes, in RFC 5322 form with CRLF line ends
 * @param emailId the stable identity of its content (RFC 8474 EMAILID), shared by copies
 * @param threadId the identity of its thread (RFC 8474 THREADID)
 */
public record MessageMeta(long uid, long modSeq, Flags flags, Instant internalDate,
        Instant saveDate, long size, String emailId, String threadId) {

    /** Checks the parts are present. */
    public MessageMeta {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
        Objects.requireNonNull(saveDate, "saveDate");
        Objects.requireNonNull(emailId, "emailId");
        Objects.requireNonNull(threadId, "threadId");
    }
}
