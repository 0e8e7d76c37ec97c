package org.postbus.smtp.internal.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.postbus.api.store.MessageContent;
import org.postbus.protocol.BoundedInputStream;

/** A large received message, in its spool file until the delivery is over. */
final class FileContent implements MessageContent {

    private final Path file;
    private final long size;

    FileContent(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        Ranges.check(offset, length, size);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), Math.min(length, size - offset));
    }
}
