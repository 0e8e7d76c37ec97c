package org.postbus.smtp.internal.message;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.postbus.api.store.MessageContent;
import org.postbus.smtp.internal.codec.ByteSink;

/**
 * Holds a message while it arrives: in memory while it is small, in a temporary file once it
 * passes the threshold. A write error is kept and reported at {@link #finish()}, so the client
 * gets a 4xx at the end of the data instead of a broken connection.
 */
public final class Spool implements ByteSink, AutoCloseable {

    private final Path dir;
    private final int threshold;
    private byte[] memory = new byte[4096];
    private int memorySize;
    private Path file;
    private OutputStream out;
    private long size;
    private IOException failure;

    /**
     * @param dir where a large message is written; created when first needed
     * @param threshold the largest message kept in memory
     */
    public Spool(Path dir, int threshold) {
        this.dir = dir;
        this.threshold = threshold;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (failure != null || length == 0) {
            return;
        }
        size += length;
        try {
            if (file == null && memorySize + length > threshold) {
                moveToFile();
            }
            if (file == null) {
                if (memorySize + length > memory.length) {
                    memory = Arrays.copyOf(memory, Math.max(memory.length * 2, memorySize + length));
                }
                System.arraycopy(bytes, offset, memory, memorySize, length);
                memorySize += length;
            } else {
                out.write(bytes, offset, length);
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /**
     * Whether {@code more} further bytes would still be held in memory. After a write error the
     * bytes are dropped, which needs no disk either.
     */
    @Override
    public boolean inMemory(long more) {
        return failure != null || file == null && memorySize + more <= threshold;
    }

    /** Whether the message went to a file. */
    public boolean onDisk() {
        return file != null;
    }

    /**
     * Ends the message.
     *
     * @return its content, readable until {@link #close()}
     * @throws IOException if the message could not be written
     */
    public MessageContent finish() throws IOException {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
            out = null;
        }
        if (failure != null) {
            throw failure;
        }
        return file == null ? new MemoryContent(memory, memorySize) : new FileContent(file, size);
    }

    /** Releases the message: closes and deletes its file, if any. */
    @Override
    public void close() {
        memory = new byte[0];
        memorySize = 0;
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // Deleted below; nothing else to do with a file no one will read.
        }
        out = null;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temp file in the spool folder is harmless; the next start may clean it.
            }
        }
    }

    private void moveToFile() throws IOException {
        Files.createDirectories(dir);
        file = Files.createTempFile(dir, "smtp-", ".eml");
        out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        out.write(memory, 0, memorySize);
        memory = new byte[0];
        memorySize = 0;
    }
}
