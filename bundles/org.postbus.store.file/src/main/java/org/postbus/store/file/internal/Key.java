package org.postbus.store.file.internal;

/**
 * A key of two numbers, ordered by the first, then the second: (mailbox, UID) and
 * (mailbox, MODSEQ), so that one mailbox's entries lie together in one ordered map.
 */
record Key(long hi, long lo) implements Comparable<Key> {

    /** The first key of {@code hi}. */
    static Key first(long hi) {
        return new Key(hi, 0);
    }

    /** The last key of {@code hi}. */
    static Key last(long hi) {
        return new Key(hi, Long.MAX_VALUE);
    }

    @Override
    public int compareTo(Key o) {
        int c = Long.compare(hi, o.hi);
        return c != 0 ? c : Long.compare(lo, o.lo);
    }
}
