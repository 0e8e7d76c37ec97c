package org.postbus.imap.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.postbus.api.store.MessageContent;
import org.postbus.protocol.BoundedInputStream;

/**
 * The bytes of one literal: in memory when small, in a spool file when large (an APPEND of
 * tens of megabytes must not sit in the heap). Readable as message content; the spool file is
 * deleted by {@link #release}.
 */
public final class Literal implements MessageContent {

    private final byte[] bytes;
    private final Path file;
    private final long size;

    private Literal(byte[] bytes, Path file, long size) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    /** A literal held in memory. */
    public static Literal of(byte[] bytes) {
        return new Literal(bytes, null, bytes.length);
    }

    /** A literal written to {@code file}. */
    static Literal spooled(Path file, long size) {
        return new Literal(null, file, size);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        long from = Math.min(offset, size);
        long n = Math.min(length, size - from);
        if (bytes != null) {
            return new ByteArrayInputStream(bytes, (int) from, (int) n);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(from);
        return new BoundedInputStream(Channels.newInputStream(channel), n);
    }

    /** The bytes, for literals that stand for strings (these are small: the line limit bounds them). */
    public byte[] bytes() {
        if (bytes != null) {
            return bytes;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the spool file, if any. */
    public void release() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover spool file is removed when the listener starts again.
            }
        }
    }
}
