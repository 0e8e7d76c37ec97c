package org.postbus.mime.internal.section;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.postbus.api.store.MessageContent;

/** Content built in memory (HEADER.FIELDS, empty sections). */
record Bytes(byte[] bytes) implements MessageContent {

    static final Bytes EMPTY = new Bytes(new byte[0]);

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public InputStream open(long offset, long length) {
        int off = (int) Math.min(Math.max(offset, 0), bytes.length);
        int n = (int) Math.min(Math.max(length, 0), bytes.length - off);
        return new ByteArrayInputStream(bytes, off, n);
    }
}
