package org.postbus.api.store;

/**
 * An inclusive range of UIDs, {@code first:last}. Use {@link #ALL} for {@code 1:*}.
 *
 * @param first the lowest UID, at least 1
 * @param last the highest UID, at least {@code first}; {@link Long#MAX_VALUE} for {@code *}
 */
public record UidRange(long first, long last) {

    /** Every UID: {@code 1:*}. */
    public static final UidRange ALL = new UidRange(1, Long.MAX_VALUE);

    /** Checks the bounds. */
    public UidRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("not a UID range: " + first + ":" + last);
        }
    }

    /** One UID. */
    public static UidRange of(long uid) {
        return new UidRange(uid, uid);
    }

    /** Whether {@code uid} lies in the range. */
    public boolean contains(long uid) {
        return uid >= first && uid <= last;
    }
}
