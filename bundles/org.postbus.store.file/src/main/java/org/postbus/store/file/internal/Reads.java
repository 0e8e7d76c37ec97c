package org.postbus.store.file.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;

/** Conversions shared by readers and the committer. */
final class Reads {

    private Reads() {
    }

    static MessageMeta meta(long uid, MessageRecord m, Flags flags) {
        return new MessageMeta(uid, m.modSeq, flags, m.internalDate, m.saveDate, m.size,
                MessageRecord.emailId(m.blobId), MessageRecord.threadId(m.threadId));
    }

    /** The ranges sorted and merged where they overlap or touch, so each UID is visited once, in order. */
    static List<UidRange> merge(List<UidRange> ranges) {
        List<UidRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(UidRange::first));
        List<UidRange> merged = new ArrayList<>();
        UidRange open = null;
        for (UidRange r : sorted) {
            if (open == null) {
                open = r;
            } else if (open.last() == Long.MAX_VALUE || r.first() <= open.last() + 1) {
                open = new UidRange(open.first(), Math.max(open.last(), r.last()));
            } else {
                merged.add(open);
                open = r;
            }
        }
        if (open != null) {
            merged.add(open);
        }
        return merged;
    }
}
