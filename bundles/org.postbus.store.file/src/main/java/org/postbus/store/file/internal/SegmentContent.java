package org.postbus.store.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.postbus.api.store.MessageContent;

/**
 * A stored message's bytes: a range of a segment file, read with positional reads through a
 * channel of its own per stream, so that no reader shares or disturbs another's file position
 * and a segment deleted meanwhile stays readable to streams already open.
 */
final class SegmentContent implements MessageContent {

    private final Path file;
    private final long offset;
    private final long size;

    SegmentContent(Path file, long offset, long size) {
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
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IOException("the message is no longer stored (it was expunged)", e);
        }
        return new RangeStream(ch, offset + start, offset + end);
    }

    /** Reads {@code [position, end)} of a channel. */
    private static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;
        private long mark;

        RangeStream(FileChannel channel, long position, long end) {
            this.channel = channel;
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
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
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
        public void close() throws IOException {
            channel.close();
        }
    }
}
