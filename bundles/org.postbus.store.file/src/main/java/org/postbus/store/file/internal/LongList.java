package org.postbus.store.file.internal;

import java.util.Arrays;

/** A growable list of longs, without boxing: UIDs of a million messages cost 8 MB, not 24. */
final class LongList {
    private long[] values;
    private int size;

    LongList() {
        this(16);
    }

    LongList(int capacity) {
        values = new long[Math.max(1, capacity)];
    }

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    /** The values sorted ascending. */
    long[] sorted() {
        long[] a = toArray();
        Arrays.sort(a);
        return a;
    }
}
