package org.postbus.pop3.internal.codec;

/**
 * The bytes received from a client and not yet decoded. The {@link LineReader} consumes them
 * from the front; new bytes are appended at the back.
 */
public final class InputBuffer {

    private byte[] data = new byte[4096];
    private int start;
    private int end;

    /** Appends received bytes. */
    public void append(byte[] bytes) {
        if (end + bytes.length > data.length) {
            makeRoom(bytes.length);
        }
        System.arraycopy(bytes, 0, data, end, bytes.length);
        end += bytes.length;
    }

    /** How many bytes wait to be decoded. */
    public int available() {
        return end - start;
    }

    /** Drops every waiting byte (plaintext pipelined after STLS). */
    public void clear() {
        start = 0;
        end = 0;
    }

    byte[] array() {
        return data;
    }

    int position() {
        return start;
    }

    int limit() {
        return end;
    }

    void skip(int count) {
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
