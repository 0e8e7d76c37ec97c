package org.postbus.smtp.internal.codec;

/** Where decoded message bytes go: the spool of the transaction, or nowhere. */
@FunctionalInterface
public interface ByteSink {

    /** A sink that drops everything, for content that is read only to be skipped. */
    ByteSink DISCARD = (bytes, offset, length) -> { };

    /** Takes {@code length} bytes of {@code bytes} from {@code offset}; must not keep the array. */
    void write(byte[] bytes, int offset, int length);
}
