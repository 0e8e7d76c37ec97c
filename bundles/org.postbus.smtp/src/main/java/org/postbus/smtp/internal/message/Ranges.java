package org.postbus.smtp.internal.message;

/** The argument check shared by the {@link org.postbus.api.store.MessageContent} views. */
final class Ranges {

    private Ranges() {
    }

    static void check(long offset, long length, long size) {
        if (offset < 0 || length < 0 || offset > size) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", size " + size);
        }
    }
}
