package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.postbus.api.store.MessageContent;

/**
 * A message in a file, or in a byte range of one (an mbox), read with CRLF line ends as the store
 * wants it: converted on the fly, never held in memory. The size, which the store needs before it
 * reads, is the converted size, found by one pass over the bytes when the content is made.
 */
final class CrlfFileContent implements MessageContent {

    private final Path file;
    private final long start;
    private final long end;
    private final boolean unquoteFrom;
    private final long size;

    private CrlfFileContent(Path file, long start, long end, boolean unquoteFrom) throws IOException {
        this.file = file;
        this.start = start;
        this.end = end;
        this.unquoteFrom = unquoteFrom;
        try (InputStream in = open()) {
            this.size = in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** A whole file with LF line ends (a Maildir message). */
    static CrlfFileContent of(Path file) throws IOException {
        return new CrlfFileContent(file, 0, Long.MAX_VALUE, false);
    }

    /** Bytes {@code start} (inclusive) to {@code end} (exclusive) of an mboxrd file. */
    static CrlfFileContent mboxRegion(Path file, long start, long end) throws IOException {
        return new CrlfFileContent(file, start, end, true);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        InputStream in;
        try {
            channel.position(start);
            InputStream raw = Channels.newInputStream(channel);
            in = new CrlfInputStream(end == Long.MAX_VALUE ? raw : new Limited(raw, end - start), unquoteFrom);
            in.skipNBytes(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return length == Long.MAX_VALUE ? in : new Limited(in, length);
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long remaining;

        Limited(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, remaining));
            if (r > 0) {
                remaining -= r;
            }
            return r;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
