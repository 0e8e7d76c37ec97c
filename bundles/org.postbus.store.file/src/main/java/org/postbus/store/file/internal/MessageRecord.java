package org.postbus.store.file.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.postbus.api.store.Flag;

/**
 * A message in a mailbox as the index keeps it (map {@code messages}, by (mailbox, UID)): about
 * 30 to 40 bytes. The content is referenced by blob id with its place inline (segment, offset,
 * size), so reading it needs no second lookup. Segment compaction moves content and repoints
 * both the blob and these records; a record it missed is read at its blob's place.
 */
final class MessageRecord {
    private static final int FORMAT = 1;
    static final long[] NO_KEYWORDS = new long[0];

    long modSeq;
    int flags;
    long[] keywords;
    final Instant internalDate;
    final Instant saveDate;
    final long size;
    final long blobId;
    final long segment;
    final long offset;
    final long threadId;

    MessageRecord(long modSeq, int flags, long[] keywords, Instant internalDate, Instant saveDate, long size,
            long blobId, long segment, long offset, long threadId) {
        this.modSeq = modSeq;
        this.flags = flags;
        this.keywords = keywords;
        this.internalDate = internalDate;
        this.saveDate = saveDate;
        this.size = size;
        this.blobId = blobId;
        this.segment = segment;
        this.offset = offset;
        this.threadId = threadId;
    }

    /** The same message as saved elsewhere: same content, flags and thread; new save date. */
    MessageRecord copy(long newModSeq, Instant newSaveDate) {
        return new MessageRecord(newModSeq, flags, keywords, internalDate, newSaveDate, size, blobId, segment,
                offset, threadId);
    }

    /** The same message with its content at another place (moved by compaction); nothing else changes. */
    MessageRecord at(long newSegment, long newOffset) {
        return new MessageRecord(modSeq, flags, keywords, internalDate, saveDate, size, blobId, newSegment, newOffset,
                threadId);
    }

    boolean has(Flag flag) {
        return (flags & bit(flag)) != 0;
    }

    static int bit(Flag flag) {
        return 1 << flag.ordinal();
    }

    static int mask(Set<Flag> flags) {
        int mask = 0;
        for (Flag f : flags) {
            mask |= bit(f);
        }
        return mask;
    }

    static Set<Flag> flags(int mask) {
        EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
        for (Flag f : Flag.values()) {
            if ((mask & bit(f)) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    byte[] encode() {
        Codec.Out out = new Codec.Out().u8(FORMAT).var(modSeq).var(flags).var(keywords.length);
        for (long k : keywords) {
            out.var(k);
        }
        return out.signed(internalDate.getEpochSecond()).var(internalDate.getNano())
                .signed(saveDate.getEpochSecond()).var(saveDate.getNano()).var(size).var(blobId).var(segment).var(offset)
                .var(threadId).bytes();
    }

    static MessageRecord decode(byte[] bytes) {
        Codec.In in = new Codec.In(bytes);
        in.u8();
        long modSeq = in.var();
        int flags = in.varInt();
        int n = in.varInt();
        long[] keywords = n == 0 ? NO_KEYWORDS : new long[n];
        for (int i = 0; i < n; i++) {
            keywords[i] = in.var();
        }
        Instant internalDate = Instant.ofEpochSecond(in.signed(), in.var());
        Instant saveDate = Instant.ofEpochSecond(in.signed(), in.var());
        return new MessageRecord(modSeq, flags, keywords, internalDate, saveDate, in.var(), in.var(), in.var(),
                in.var(), in.var());
    }

    /**
     * Adds the keyword ids of an encoded record to {@code into}, decoding nothing else: for
     * walking a whole mailbox's keywords.
     */
    static void keywords(byte[] bytes, LongList into) {
        Codec.In in = new Codec.In(bytes);
        in.u8();
        in.var();
        in.var();
        int n = in.varInt();
        for (int i = 0; i < n; i++) {
            into.add(in.var());
        }
    }

    /** The RFC 8474 EMAILID: one per stored content, shared by its copies. */
    static String emailId(long blobId) {
        return "M" + blobId;
    }

    /** The RFC 8474 THREADID. */
    static String threadId(long threadId) {
        return "T" + threadId;
    }
}
