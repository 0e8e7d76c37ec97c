package org.postbus.imap.internal.codec;

import java.util.ArrayList;
import java.util.List;
import org.postbus.api.store.UidRange;

/**
 * A sequence set as written by the client (RFC 9051 {@code sequence-set}), or {@code $} for the
 * saved search result (RFC 5182). {@code *} is kept as {@link #STAR} until resolved.
 *
 * @param ranges pairs of bounds, each either a number or {@link #STAR}
 * @param saved whether the set is {@code $}
 */
public record SequenceSet(List<long[]> ranges, boolean saved) {

    /** The value of {@code *} before it is resolved. */
    public static final long STAR = Long.MAX_VALUE;

    /** {@code $}, the saved search result. */
    public static final SequenceSet SAVED = new SequenceSet(List.of(), true);

    /**
     * Resolves message sequence numbers against the mailbox's UID map.
     *
     * @return the UIDs, ascending and distinct
     */
    public long[] resolveSequence(long[] uids) {
        int count = uids.length;
        boolean[] chosen = new boolean[count];
        for (long[] r : ranges) {
            long a = r[0] == STAR ? count : r[0];
            long b = r[1] == STAR ? count : r[1];
            long lo = Math.max(1, Math.min(a, b));
            long hi = Math.min(count, Math.max(a, b));
            for (long i = lo; i <= hi; i++) {
                chosen[(int) i - 1] = true;
            }
        }
        int n = 0;
        for (boolean c : chosen) {
            if (c) {
                n++;
            }
        }
        long[] out = new long[n];
        int j = 0;
        for (int i = 0; i < count; i++) {
            if (chosen[i]) {
                out[j++] = uids[i];
            }
        }
        return out;
    }

    /**
     * Whether every number lies within 1..count (RFC 9051: otherwise the command is BAD). In an
     * empty mailbox nothing is valid, not even {@code *}: it stands for the number of messages in a
     * non-empty mailbox only (RFC 9051 section 9, seq-number).
     */
    public boolean sequenceValid(int count) {
        if (count == 0) {
            return false;
        }
        for (long[] r : ranges) {
            for (long v : r) {
                if (v != STAR && (v < 1 || v > count)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Resolves UIDs: {@code *} is the highest UID in the mailbox; a range is taken whichever way
     * round it is written.
     *
     * @return the UID ranges, for the store (which skips UIDs without a message)
     */
    public List<UidRange> uidRanges(long[] uids) {
        long max = uids.length == 0 ? 0 : uids[uids.length - 1];
        List<UidRange> out = new ArrayList<>();
        for (long[] r : ranges) {
            long a = r[0] == STAR ? max : r[0];
            long b = r[1] == STAR ? max : r[1];
            long lo = Math.min(a, b);
            long hi = Math.max(a, b);
            if (hi < 1) {
                continue;
            }
            out.add(new UidRange(Math.max(1, lo), hi));
        }
        return out;
    }

    /** The UIDs in {@code uids} (ascending) that the set names as UIDs, ascending. */
    public long[] resolveUids(long[] uids) {
        boolean[] chosen = new boolean[uids.length];
        for (UidRange r : uidRanges(uids)) {
            int i = java.util.Arrays.binarySearch(uids, r.first());
            for (i = i < 0 ? -i - 1 : i; i < uids.length && uids[i] <= r.last(); i++) {
                chosen[i] = true;
            }
        }
        int n = 0;
        long[] out = new long[uids.length];
        for (int i = 0; i < uids.length; i++) {
            if (chosen[i]) {
                out[n++] = uids[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Writes the UIDs (ascending) as a compact set such as {@code 1:3,7}; empty for none. */
    public static String format(long[] sorted) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(sorted[i]);
            if (j > i) {
                out.append(':').append(sorted[j]);
            }
            i = j + 1;
        }
        return out.toString();
    }

    /** Like {@link #format(long[])} for a list. */
    public static String format(List<Long> sorted) {
        return format(sorted.stream().mapToLong(Long::longValue).toArray());
    }
}
