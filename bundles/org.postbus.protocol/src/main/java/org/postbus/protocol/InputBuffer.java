package org.postbus.protocol;

/**
 * The bytes received from a client and not yet decoded. A protocol's readers consume them from
 * the front ({@link #array()} from {@link #position()} to {@link #limit()}, then {@link #skip});
 * new bytes are appended at the back. Confined to the thread that runs the session.
 */
public final class InputBuffer {

    private byte[] data;
    private int start;
    private int end;

    /** A buffer that starts with room for 8 KiB. */
    public InputBuffer() {
        this(8192);
    }

    /** A buffer that starts with room for {@code capacity} bytes and grows as needed. */
    public InputBuffer(int capacity) {
        data = new byte[capacity];
    }

    /** Appends received bytes. */
    public void append(byte[] bytes, int offset, int length) {
        if (end + length > data.length) {
            makeRoom(length);
        }
        System.arraycopy(bytes, offset, data, end, length);
        end += length;
    }

    /** Appends received bytes. */
    public void append(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    /** How many bytes wait to be decoded. */
    public int available() {
        return end - start;
    }

    /** Drops every waiting byte (plaintext pipelined before a TLS handshake). */
    public void clear() {
        start = 0;
        end = 0;
    }

    /** The array the waiting bytes are in; valid until the next append. */
    public byte[] array() {
        return data;
    }

    /** Where the waiting bytes start in {@link #array()}. */
    public int position() {
        return start;
    }

    /** Where the waiting bytes end in {@link #array()}. */
    public int limit() {
        return end;
    }

    /** Consumes {@code count} bytes from the front; they stay readable in the array until the next append. */
    public void skip(int count) {
        start += count;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private void makeRoom(int length) {
        int waiting = end - start;
        if (waiting + length > data.length) {
            byte[] bigger = new byte[Math.max(data.length * 2, waiting + length)];
            System.arraycopy(data, start, bigger, 0, waiting);
            data = bigger;
        } else {
            System.arraycopy(data, start, data, 0, waiting);
        }
        start = 0;
        end = waiting;
    }
}
