package org.postbus.delivery.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Objects;
import org.postbus.api.store.MessageContent;

/**
 * A message as a few header lines in memory followed by the received content, read through:
 * local delivery stores {@code Return-Path:} and the filters' headers in front of a message of
 * any size without copying it.
 */
final class PrefixedContent implements MessageContent {

    private final byte[] prefix;
    private final MessageContent body;

    private PrefixedContent(byte[] prefix, MessageContent body) {
        this.prefix = prefix;
        this.body = body;
    }

    /** {@code body} behind {@code prefix}; {@code body} itself when there is nothing to prefix. */
    static MessageContent of(byte[] prefix, MessageContent body) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(body, "body");
        return prefix.length == 0 ? body : new PrefixedContent(prefix.clone(), body);
    }

    @Override
    public long size() {
        return prefix.length + body.size();
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        long size = size();
        if (offset >= size || length == 0) {
            return InputStream.nullInputStream();
        }
        // Written so that length = Long.MAX_VALUE cannot overflow.
        long end = length >= size - offset ? size : offset + length;
        int p = prefix.length;
        if (end <= p) {
            return new ByteArrayInputStream(prefix, (int) offset, (int) (end - offset));
        }
        if (offset >= p) {
            return body.open(offset - p, end - offset);
        }
        InputStream head = new ByteArrayInputStream(prefix, (int) offset, (int) (p - offset));
        // The body is opened only when the reader gets there, so an unread stream costs no file handle.
        InputStream tail = new LazyStream(body, 0, end - p);
        return new SequenceInputStream(head, tail);
    }

    /** A stream over part of the body, opened on first read. */
    private static final class LazyStream extends InputStream {
        private final MessageContent content;
        private final long offset;
        private final long length;
        private InputStream in;
        private boolean closed;

        LazyStream(MessageContent content, long offset, long length) {
            this.content = content;
            this.offset = offset;
            this.length = length;
        }

        private InputStream in() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (in == null) {
                in = content.open(offset, length);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            return in().skip(n);
        }

        @Override
        public int available() throws IOException {
            return in == null ? 0 : in.available();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            if (in != null) {
                in.close();
            }
        }
    }
}
