package org.postbus.mime.internal.section;

import java.io.IOException;
import java.io.InputStream;
import org.postbus.api.store.MessageContent;

/** A window onto a range of another content's bytes; nothing is copied. */
record Slice(MessageContent content, long start, long length) implements MessageContent {

    @Override
    public long size() {
        return length;
    }

    @Override
    public InputStream open(long offset, long len) throws IOException {
        long off = Math.min(Math.max(offset, 0), length);
        long n = Math.min(Math.max(len, 0), length - off);
        return content.open(start + off, n);
    }
}
