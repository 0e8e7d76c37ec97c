package org.postbus.api.store;

import java.util.Objects;

/**
 * A change to the flags of messages, as IMAP STORE expresses it.
 *
 * @param mode whether the flags are added, removed or replace the current ones
 * @param flags the flags concerned
 * @param unchangedSince apply only to messages whose MODSEQ is at most this (CONDSTORE
 *     {@code UNCHANGEDSINCE}), or {@code -1} for no condition
 */
public record FlagUpdate(Mode mode, Flags flags, long unchangedSince) {

    /** How the flags are applied. */
    public enum Mode {
        /** Set these flags, keep the others. */
        ADD,
        /** Clear these flags, keep the others. */
        REMOVE,
        /** The flags become exactly these. */
        REPLACE
    }

    /** Checks the parts are present. */
    public FlagUpdate {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(flags, "flags");
    }

    /** An unconditional change. */
    public static FlagUpdate of(Mode mode, Flags flags) {
        return new FlagUpdate(mode, flags, -1);
    }
}
