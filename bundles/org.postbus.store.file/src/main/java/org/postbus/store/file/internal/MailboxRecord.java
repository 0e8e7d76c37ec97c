package org.postbus.store.file.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.postbus.api.store.SpecialUse;

/**
 * A mailbox as the index keeps it (map {@code mailboxes}, by mailbox id): its name and counters,
 * so that SELECT and STATUS read one record. Changed only by the committer, on a copy it writes
 * back.
 *
 * <p>It also lists the keywords the mailbox's messages have been given, for IMAP's FLAGS and
 * PERMANENTFLAGS at every SELECT, so that these need not decode every message. Like Dovecot's
 * keyword list, it only grows while the mailbox holds messages: a keyword stays listed after its
 * last message lost it, and the list starts over empty when the mailbox holds no message any
 * more. It holds ids from the store-wide keyword dictionary ({@code keywordNames}), which is keyed
 * by the lower-cased keyword, so it has each keyword once, in the case first seen in the store,
 * and stays a few bytes per keyword in a record rewritten at every change of the mailbox.
 *
 * <p>The list is not always known: a record written before it existed (format 1) has none, and a
 * mailbox whose messages use more than {@link #MAX_KEYWORDS} keywords stops keeping one, so that
 * a client setting ever new keywords cannot make every change of its mailbox rewrite a big record.
 * Then the keywords are found by reading the messages.
 *
 * <p>Format 3 adds {@link #historyFrom}, after the keyword list: the MODSEQ up to which the
 * mailbox's expunge history was dropped ({@link ExpungeHistory}). A record of an older format
 * has dropped nothing.
 */
final class MailboxRecord {
    /**
     * Format 2 adds the keyword list; format 1 records decode with it {@link Keywords#UNKNOWN}.
     * Format 3 adds {@link #historyFrom}; older records decode with 0.
     */
    private static final int FORMAT = 3;

    /** Most keywords a record lists; past this it notes {@link Keywords#TOO_MANY} instead. */
    static final int MAX_KEYWORDS = 1000;

    /** What a record knows of the keywords its messages use. */
    enum Keywords {
        /** {@link #keywordIds()} lists every keyword a message in the mailbox has (and maybe more). */
        KNOWN,
        /** Not recorded yet: the record is older than the keyword list. */
        UNKNOWN,
        /** More than {@link #MAX_KEYWORDS} in use: not recorded until the mailbox is empty again. */
        TOO_MANY
    }

    private static final long[] NONE = new long[0];

    final long id;
    final long userId;
    String name;
    /** Changes only while the mailbox has never held a message (an import takes the source's). */
    long uidValidity;
    long uidNext;
    long highestModSeq;
    int specialUse;
    long messages;
    long unseen;
    long deleted;
    long size;
    /**
     * Every expunge with a MODSEQ up to this one may be forgotten; those after it are all still
     * listed. 0 while the whole history is kept. Only grows.
     */
    long historyFrom;
    boolean dirty;
    private Keywords keywords = Keywords.KNOWN;
    /** Ascending keyword ids; empty unless {@link Keywords#KNOWN}. */
    private long[] keywordIds = NONE;

    MailboxRecord(long id, long userId, String name, long uidValidity, int specialUse) {
        this.id = id;
        this.userId = userId;
        this.name = name;
        this.uidValidity = uidValidity;
        this.uidNext = 1;
        this.highestModSeq = 1;
        this.specialUse = specialUse;
    }

    /** The next MODSEQ of this mailbox: every change gets its own, strictly increasing. */
    long nextModSeq() {
        dirty = true;
        return ++highestModSeq;
    }

    /**
     * Encodes the record. Each format only appends, so code that knows an older one still reads
     * the rest (and writes it back in its own format: the keyword list as unknown, the history
     * as whole, which a downgrade that trimmed history must accept).
     * It is written as a count (0: unknown, 1: too many, n + 2: n ids), then the ids as gaps.
     */
    byte[] encode() {
        return encode(FORMAT);
    }

    /** Encodes the record as an older format would: for tests of reading old stores. */
    byte[] encode(int format) {
        Codec.Out out = new Codec.Out().u8(format).var(userId).string(name).var(uidValidity).var(uidNext)
                .var(highestModSeq).var(specialUse).var(messages).var(unseen).var(deleted).var(size);
        if (format >= 2) {
            switch (keywords) {
                case UNKNOWN -> out.var(0);
                case TOO_MANY -> out.var(1);
                default -> {
                    out.var(keywordIds.length + 2L);
                    long previous = 0;
                    for (long k : keywordIds) {
                        out.var(k - previous);
                        previous = k;
                    }
                }
            }
        }
        if (format >= 3) {
            out.var(historyFrom);
        }
        return out.bytes();
    }

    static MailboxRecord decode(long id, byte[] bytes) {
        Codec.In in = new Codec.In(bytes);
        int format = in.u8();
        long userId = in.var();
        String name = in.string();
        long uidValidity = in.var();
        long uidNext = in.var();
        long highestModSeq = in.var();
        int specialUse = in.varInt();
        MailboxRecord r = new MailboxRecord(id, userId, name, uidValidity, specialUse);
        r.uidNext = uidNext;
        r.highestModSeq = highestModSeq;
        r.messages = in.var();
        r.unseen = in.var();
        r.deleted = in.var();
        r.size = in.var();
        if (format < 2) {
            r.keywords = Keywords.UNKNOWN;
            return r;
        }
        long count = in.var();
        if (count == 0) {
            r.keywords = Keywords.UNKNOWN;
        } else if (count == 1) {
            r.keywords = Keywords.TOO_MANY;
        } else {
            long[] ids = new long[Math.toIntExact(count - 2)];
            long previous = 0;
            for (int i = 0; i < ids.length; i++) {
                previous += in.var();
                ids[i] = previous;
            }
            r.keywordIds = ids.length == 0 ? NONE : ids;
        }
        if (format >= 3) {
            r.historyFrom = in.var();
        }
        return r;
    }

    Keywords keywords() {
        return keywords;
    }

    /** The ids of the keywords listed, ascending; empty unless {@link Keywords#KNOWN}. */
    long[] keywordIds() {
        return keywordIds;
    }

    /**
     * Notes keywords a message in the mailbox now has. Nothing is ever taken off the list here;
     * one that would grow past {@link #MAX_KEYWORDS} is dropped for {@link Keywords#TOO_MANY}.
     */
    void addKeywords(long[] ids) {
        if (keywords != Keywords.KNOWN || ids.length == 0) {
            return;
        }
        long[] missing = null;
        int n = 0;
        for (long k : ids) {
            if (Arrays.binarySearch(keywordIds, k) < 0) {
                if (missing == null) {
                    missing = new long[ids.length];
                }
                missing[n++] = k;
            }
        }
        if (n == 0) {
            return;
        }
        long[] merged = Arrays.copyOf(keywordIds, keywordIds.length + n);
        System.arraycopy(missing, 0, merged, keywordIds.length, n);
        Arrays.sort(merged);
        setKeywords(distinct(merged));
    }

    /** The sorted ids without repeats. */
    static long[] distinct(long[] sorted) {
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }

    /**
     * Sets the list outright (the ids of a mailbox's messages, ascending and distinct): when it
     * was unknown, or in a repair.
     */
    void setKeywords(long[] ids) {
        if (ids.length > MAX_KEYWORDS) {
            keywords = Keywords.TOO_MANY;
            keywordIds = NONE;
        } else {
            keywords = Keywords.KNOWN;
            keywordIds = ids.length == 0 ? NONE : ids;
        }
        dirty = true;
    }

    /**
     * Starts the list over, empty: for a mailbox that holds no message. This is where a keyword
     * no message has any more leaves the list, and where an unknown or too long list becomes
     * known again.
     */
    void clearKeywords() {
        if (keywords != Keywords.KNOWN || keywordIds.length > 0) {
            setKeywords(NONE);
        }
    }

    Set<SpecialUse> specialUses() {
        return specialUses(specialUse);
    }

    static Set<SpecialUse> specialUses(int mask) {
        EnumSet<SpecialUse> set = EnumSet.noneOf(SpecialUse.class);
        for (SpecialUse u : SpecialUse.values()) {
            if ((mask & (1 << u.ordinal())) != 0) {
                set.add(u);
            }
        }
        return set;
    }

    static int mask(Set<SpecialUse> uses) {
        int mask = 0;
        for (SpecialUse u : uses) {
            mask |= 1 << u.ordinal();
        }
        return mask;
    }

    /** The RFC 8474 MAILBOXID. */
    String objectId() {
        return objectId(id);
    }

    static String objectId(long id) {
        return "F" + id;
    }
}
