package org.postbus.mime.internal;

import java.util.Arrays;

/** A growable byte buffer for header lines, with a cap so that hostile headers stay small. */
final class LineBuffer {

    private byte[] data = new byte[256];
    private int length;
    private boolean truncated;

    void append(byte[] b, int off, int n, int cap) {
        int room = cap - length;
        if (n > room) {
            truncated = true;
            n = Math.max(room, 0);
        }
        if (length + n > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + n));
        }
        System.arraycopy(b, off, data, length, n);
        length += n;
    }

    /** Removes a CR at the end, unless the cap cut the line (then the CR was not copied). */
    void dropTrailingCr() {
        if (!truncated && length > 0 && data[length - 1] == '\r') {
            length--;
        }
    }

    int length() {
        return length;
    }

    byte at(int i) {
        return data[i];
    }

    byte[] array() {
        return data;
    }

    void clear() {
        length = 0;
        truncated = false;
    }
}
