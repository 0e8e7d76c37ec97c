package org.postbus.smtp.internal.message;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.postbus.api.store.MessageContent;

/** A small received message, held in memory. */
final class MemoryContent implements MessageContent {

    private final byte[] bytes;
    private final int size;

    MemoryContent(byte[] bytes, int size) {
        this.bytes = bytes;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long offset, long length) {
        Ranges.check(offset, length, size);
        return new ByteArrayInputStream(bytes, (int) offset, (int) Math.min(length, size - offset));
    }
}
