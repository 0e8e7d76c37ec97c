package org.postbus.smtp.internal.codec;

/** Where decoded message bytes go: the spool of the transaction, or nowhere. */
@FunctionalInterface
public interface ByteSink {

    /** A sink that drops everything, for content that is read only to be skipped. */
    ByteSink DISCARD = new ByteSink() {
        @Override
        public void write(byte[] bytes, int offset, int length) {
        }

        @Override
        public boolean inMemory(long more) {
            return true;
        }
    };

    /** Takes {@code length} bytes of {@code bytes} from {@code offset}; must not keep the array. */
    void write(byte[] bytes, int offset, int length);

    /**
     * Whether taking {@code more} further bytes keeps everything in memory, so that it cannot wait
     * on the disk and may run on a network I/O thread. A sink that cannot tell says no.
     */
    default boolean inMemory(long more) {
        return false;
    }
}
