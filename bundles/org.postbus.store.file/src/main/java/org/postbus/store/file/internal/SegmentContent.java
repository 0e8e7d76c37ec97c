package org.postbus.store.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.postbus.api.store.MessageContent;

/**
 * A stored message's bytes: a range of a segment file, read with positional reads through the
 * segment's shared read channel ({@link ReadChannels}), so that no reader shares or disturbs
 * another's file position and a segment deleted meanwhile stays readable to streams already open.
 *
 * <p>Compaction may move the bytes to another segment and delete the old one after this object
 * was made: opening it then finds the blob's current place through the index and reads there.
 * Only when the blob itself is gone is the content reported as expunged.
 */
final class SegmentContent implements MessageContent {

    /** Where a blob's bytes are. */
    record Place(long segment, Path file, long offset) {
    }

    /** Finds a blob's current place in the index. */
    @FunctionalInterface
    interface Locator {
        /**
         * @return the place, or {@code null} if no such blob is stored any more
         * @throws IOException if the index cannot be read
         */
        Place locate(long blobId) throws IOException;
    }

    /** Moves followed while opening, beyond which the content is not chased further. */
    private static final int MOVES = 4;

    private final ReadChannels channels;
    private final Locator locator;
    private final long blobId;
    private final long size;
    private volatile Place place;

    SegmentContent(ReadChannels channels, Locator locator, long blobId, Place place, long size) {
        this.channels = channels;
        this.locator = locator;
        this.blobId = blobId;
        this.place = place;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long from, long length) throws IOException {
        if (from < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + from + ", " + length);
        }
        long start = Math.min(from, size);
        long end = length > size - start ? size : start + length;
        return new RangeStream(start, end);
    }

    private record Opened(ReadChannels.Lease lease, Place place) {
    }

    /** Holds the channel of the segment the bytes are in now, following a move by compaction. */
    private Opened acquire(Object holder) throws IOException {
        Place at = place;
        for (int moves = 0;; moves++) {
            try {
                return new Opened(channels.acquire(at.segment(), at.file(), holder), at);
            } catch (ReadChannels.Gone gone) {
                Place now = locator.locate(blobId);
                if (now == null || now.equals(at) || moves >= MOVES) {
                    throw gone;
                }
                at = now;
                place = now;
            }
        }
    }

    /** Reads {@code [position, end)} of the segment, holding its channel until closed. */
    private final class RangeStream extends InputStream {
        private final ReadChannels.Lease lease;
        private final long end;
        private long position;
        private long mark;

        RangeStream(long start, long end) throws IOException {
            Opened opened = acquire(this);
            this.lease = opened.lease();
            long offset = opened.place().offset();
            this.position = offset + start;
            this.mark = position;
            this.end = offset + end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - position);
            int n;
            try {
                n = lease.read(ByteBuffer.wrap(b, off, want), position);
            } finally {
                // A stream dropped right after this read must not have its lease released during it.
                Reference.reachabilityFence(this);
            }
            if (n < 0) {
                throw new IOException("message content is shorter than recorded (damaged segment file)");
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readlimit) {
            mark = position;
        }

        @Override
        public synchronized void reset() {
            position = mark;
        }

        @Override
        public void close() {
            lease.release();
        }
    }
}
