package org.postbus.api.store;

import java.io.IOException;
import java.io.InputStream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The bytes of a message, readable more than once: a spooled file, a stored message, a buffer.
 * Stores and filters read it as a stream so that no part of Postbus needs a whole message in
 * memory.
 */
@ConsumerType
public interface MessageContent {

    /** The size in bytes. */
    long size();

    /**
     * Opens a new stream over the bytes from {@code offset}, at most {@code length} of them.
     *
     * @param offset the first byte, 0-based
     * @param length how many bytes at most; {@link Long#MAX_VALUE} for the rest
     */
    InputStream open(long offset, long length) throws IOException;

    /** Opens a new stream over all the bytes. */
    default InputStream open() throws IOException {
        return open(0, Long.MAX_VALUE);
    }
}
