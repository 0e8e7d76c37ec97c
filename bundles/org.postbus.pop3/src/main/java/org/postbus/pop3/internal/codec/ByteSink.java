package org.postbus.pop3.internal.codec;

/** Where encoded bytes go: the connection, or a buffer in tests. */
@FunctionalInterface
public interface ByteSink {

    /**
     * Takes {@code length} bytes of {@code bytes} from {@code offset}, copying what it keeps:
     * the caller reuses the array.
     *
     * @return false if the receiver cannot take more (the connection is gone or stuck); the
     *     writer then stops
     */
    boolean write(byte[] bytes, int offset, int length);
}
