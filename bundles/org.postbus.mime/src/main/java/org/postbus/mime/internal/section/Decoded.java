package org.postbus.mime.internal.section;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.postbus.api.store.MessageContent;
import org.postbus.mime.UnknownEncodingException;

/**
 * A part's body with its Content-Transfer-Encoding undone, streamed from the original bytes. Its
 * size is learned by decoding it once, when first asked.
 */
public final class Decoded implements MessageContent {

    private final MessageContent encoded;
    private final String encoding;
    private volatile long size = -1;

    private Decoded(MessageContent encoded, String encoding) {
        this.encoded = encoded;
        this.encoding = encoding;
    }

    /** Whether this bundle can decode the transfer encoding. */
    public static boolean known(String encoding) {
        return switch (encoding.toLowerCase(Locale.ROOT)) {
            case "7bit", "8bit", "binary", "base64", "quoted-printable" -> true;
            default -> false;
        };
    }

    /** The decoded view of {@code encoded}; the identity for 7bit, 8bit and binary. */
    public static MessageContent of(MessageContent encoded, String encoding) throws UnknownEncodingException {
        String e = encoding.toLowerCase(Locale.ROOT);
        if (!known(e)) {
            throw new UnknownEncodingException(encoding);
        }
        if (e.equals("base64") || e.equals("quoted-printable")) {
            return new Decoded(encoded, e);
        }
        return encoded;
    }

    /** A decoding stream over a raw stream (lenient: bad input is skipped, not an error). */
    public static InputStream decoding(InputStream raw, String encoding) {
        return switch (encoding.toLowerCase(Locale.ROOT)) {
            case "base64" -> new NeverZero(new Base64InputStream(raw, DecodeMonitor.SILENT));
            case "quoted-printable" -> new NeverZero(new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT));
            default -> raw;
        };
    }

    @Override
    public long size() {
        long s = size;
        if (s < 0) {
            try (InputStream in = decoding(encoded.open(), encoding)) {
                s = in.transferTo(OutputSink.INSTANCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            size = s;
        }
        return s;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        InputStream in = decoding(encoded.open(), encoding);
        long skip = Math.max(offset, 0);
        while (skip > 0) {
            long n = in.skip(skip);
            if (n <= 0) {
                if (in.read() < 0) {
                    break;
                }
                n = 1;
            }
            skip -= n;
        }
        return new Limited(in, Math.max(length, 0));
    }

    /**
     * Mime4j's decoders return 0 from {@code read(byte[], int, int)} when a chunk held only
     * bytes they skip; readers treat that as an error, so fall back to the single-byte read.
     */
    private static final class NeverZero extends FilterInputStream {
        NeverZero(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, len);
            if (n != 0) {
                return n;
            }
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    /** Discards what is written, to count decoded bytes. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** At most {@code left} bytes of a stream. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, left));
            left -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }
    }
}
