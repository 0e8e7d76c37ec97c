package org.postbus.store.file.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compact binary form of index records: unsigned variable-length integers (7 bits a byte),
 * zig-zag for values that may be negative, and length-prefixed UTF-8 strings.
 */
final class Codec {

    private Codec() {
    }

    /** Builds one record. */
    static final class Out {
        private byte[] buf = new byte[48];
        private int len;

        Out u8(int value) {
            ensure(1);
            buf[len++] = (byte) value;
            return this;
        }

        /** A non-negative number. */
        Out var(long value) {
            ensure(10);
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
            return this;
        }

        /** A number that may be negative, such as a date before 1970. */
        Out signed(long value) {
            return var((value << 1) ^ (value >> 63));
        }

        Out string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            var(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }
    }

    /** Reads one record. */
    static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        int u8() {
            return buf[pos++] & 0xFF;
        }

        long var() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf[pos++];
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw new IllegalStateException("malformed number in index record");
        }

        int varInt() {
            return Math.toIntExact(var());
        }

        long signed() {
            long v = var();
            return (v >>> 1) ^ -(v & 1);
        }

        String string() {
            int n = varInt();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        boolean more() {
            return pos < buf.length;
        }
    }
}
