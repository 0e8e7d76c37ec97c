package org.postbus.imap.internal.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;

/**
 * What QRESYNC's {@code VANISHED (EARLIER)} reports (RFC 7162 3.2.5.1 and 3.2.6): the UIDs
 * expunged after the client's MODSEQ. When the store's expunge history no longer reaches back to
 * that MODSEQ ({@link Mailbox#expungeHistoryFrom()}), every UID below UIDNEXT that is not in the
 * mailbox is reported instead: a superset the RFC allows, since a client ignores UIDs it does not
 * know. The result is kept as ranges, so a mailbox with millions of past UIDs costs a few.
 */
final class Vanished {

    private Vanished() {
    }

    /**
     * The UIDs that vanished after {@code modSeq}, within {@code within} (null for all), as sorted
     * disjoint {@code [first, last]} ranges.
     */
    static List<long[]> since(Mailbox box, long modSeq, List<UidRange> within) throws StoreException {
        List<long[]> gone;
        if (modSeq >= box.expungeHistoryFrom()) {
            gone = new ArrayList<>();
            for (long uid : box.expungedSince(modSeq)) {
                if (!gone.isEmpty() && gone.get(gone.size() - 1)[1] + 1 == uid) {
                    gone.get(gone.size() - 1)[1] = uid;
                } else if (gone.isEmpty() || gone.get(gone.size() - 1)[1] < uid) {
                    gone.add(new long[] {uid, uid});
                }
            }
        } else {
            gone = gaps(box.uids(), box.status().uidNext());
        }
        return within == null ? gone : intersect(gone, normalise(within));
    }

    /** The UIDs from 1 below {@code uidNext} not in {@code present} (ascending). */
    static List<long[]> gaps(long[] present, long uidNext) {
        List<long[]> out = new ArrayList<>();
        long next = 1;
        for (long uid : present) {
            if (uid > next) {
                out.add(new long[] {next, uid - 1});
            }
            next = Math.max(next, uid + 1);
        }
        if (next < uidNext) {
            out.add(new long[] {next, uidNext - 1});
        }
        return out;
    }

    /** A client's UID set as ranges, {@code *} taken as unbounded (any UID it may know). */
    static List<UidRange> ranges(org.postbus.imap.internal.codec.SequenceSet set) {
        List<UidRange> out = new ArrayList<>();
        for (long[] r : set.ranges()) {
            long a = r[0];
            long b = r[1];
            long lo = Math.max(1, Math.min(a, b));
            long hi = Math.max(a, b);
            if (hi >= 1) {
                out.add(new UidRange(lo, hi));
            }
        }
        return out;
    }

    /** Sorted, merged {@code [first, last]} ranges. */
    static List<long[]> normalise(List<UidRange> ranges) {
        List<long[]> sorted = new ArrayList<>();
        for (UidRange r : ranges) {
            sorted.add(new long[] {r.first(), r.last()});
        }
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(r.clone());
            }
        }
        return out;
    }

    /** The intersection of two lists of sorted disjoint ranges. */
    static List<long[]> intersect(List<long[]> a, List<long[]> b) {
        List<long[]> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            long lo = Math.max(a.get(i)[0], b.get(j)[0]);
            long hi = Math.min(a.get(i)[1], b.get(j)[1]);
            if (lo <= hi) {
                out.add(new long[] {lo, hi});
            }
            if (a.get(i)[1] < b.get(j)[1]) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    /** Only the UIDs above {@code floor}. */
    static List<long[]> above(List<long[]> ranges, long floor) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            if (r[1] > floor) {
                out.add(new long[] {Math.max(r[0], floor + 1), r[1]});
            }
        }
        return out;
    }

    /** {@code 1:3,7}. */
    static String format(List<long[]> ranges) {
        StringBuilder out = new StringBuilder();
        for (long[] r : ranges) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(r[0]);
            if (r[1] != r[0]) {
                out.append(':').append(r[1]);
            }
        }
        return out.toString();
    }
}
