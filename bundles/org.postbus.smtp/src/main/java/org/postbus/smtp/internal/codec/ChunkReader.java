package org.postbus.smtp.internal.codec;

import org.postbus.protocol.InputBuffer;

/**
 * Reads the octets of one BDAT chunk (RFC 3030): exactly the announced count, with no
 * dot-stuffing and no end marker. The octets are consumed even when the BDAT command itself was
 * refused, since the client sends them regardless.
 */
public final class ChunkReader {

    private long remaining;

    /** Expects a chunk of {@code size} octets. */
    public void start(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative chunk size");
        }
        remaining = size;
    }

    /** The octets of the chunk still to come. */
    public long remaining() {
        return remaining;
    }

    /**
     * Passes the chunk's octets in {@code in} to {@code sink}, consuming them.
     *
     * @return whether the chunk is complete; the bytes after it stay in {@code in}
     */
    public boolean read(InputBuffer in, ByteSink sink) {
        int count = (int) Math.min(remaining, in.available());
        if (count > 0) {
            sink.write(in.array(), in.position(), count);
            in.skip(count);
            remaining -= count;
        }
        return remaining == 0;
    }
}
