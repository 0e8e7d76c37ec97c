package org.postbus.store.file.internal;

/**
 * The UIDs present in a mailbox as bitmaps of 4096 UIDs (512 bytes) each, keyed by
 * (mailbox, uid / 4096): a dense million-message mailbox takes about 250 of them, so the
 * sequence-number map of SELECT reads 125 KB instead of a million message records.
 */
final class UidSets {

    static final int SHIFT = 12;
    static final int BYTES = (1 << SHIFT) / 8;

    private UidSets() {
    }

    static Key key(long mailboxId, long uid) {
        return new Key(mailboxId, uid >>> SHIFT);
    }

    static int byteOf(long uid) {
        return (int) (uid & ((1 << SHIFT) - 1)) >>> 3;
    }

    static byte bitOf(long uid) {
        return (byte) (1 << (uid & 7));
    }

    static boolean isEmpty(byte[] set) {
        for (byte b : set) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the UIDs of one bitmap, ascending, to {@code out} from {@code n}; returns the new
     * count. {@code out} must have room.
     */
    static int decode(long chunk, byte[] set, long[] out, int n) {
        long base = chunk << SHIFT;
        for (int i = 0; i < set.length; i++) {
            int b = set[i] & 0xFF;
            while (b != 0) {
                int bit = Integer.numberOfTrailingZeros(b);
                out[n++] = base + (i << 3) + bit;
                b &= b - 1;
            }
        }
        return n;
    }

    static int count(byte[] set) {
        int c = 0;
        for (byte b : set) {
            c += Integer.bitCount(b & 0xFF);
        }
        return c;
    }
}
