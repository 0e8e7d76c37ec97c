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
 */
final class SegmentContent implements MessageContent {

    private final ReadChannels channels;
    private final long segment;
    private final Path file;
    private final long offset;
    private final long size;

    SegmentContent(ReadChannels channels, long segment, Path file, long offset, long size) {
        this.channels = channels;
        this.segment = segment;
        this.file = file;
        this.offset = offset;
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
        return new RangeStream(offset + start, offset + end);
    }

    /** Reads {@code [position, end)} of the segment, holding its channel until closed. */
    private final class RangeStream extends InputStream {
        private final ReadChannels.Lease lease;
        private final long end;
        private long position;
        private long mark;

        RangeStream(long position, long end) throws IOException {
            this.lease = channels.acquire(segment, file, this);
            this.position = position;
            this.mark = position;
            this.end = end;
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
