package org.postbus.store.file.internal;

/** The index's small records: users, quota use, blobs and segments. */
final class SmallRecords {

    private SmallRecords() {
    }

    /**
     * A user (map {@code users}, by lower-cased address): the numeric id that keys all their
     * data, and the address as first seen.
     */
    record User(long id, String address) {
        byte[] encode() {
            return new Codec.Out().u8(1).var(id).string(address).bytes();
        }

        static User decode(byte[] bytes) {
            Codec.In in = new Codec.In(bytes);
            in.u8();
            return new User(in.var(), in.string());
        }
    }

    /** What a user stores (map {@code usage}, by user id), counted per message saved. */
    record Usage(long bytes, long messages) {
        static final Usage NONE = new Usage(0, 0);

        Usage plus(long size, long count) {
            return new Usage(bytes + size, messages + count);
        }

        byte[] encode() {
            return new Codec.Out().var(bytes).var(messages).bytes();
        }

        static Usage decode(byte[] bytes) {
            if (bytes == null) {
                return NONE;
            }
            Codec.In in = new Codec.In(bytes);
            return new Usage(in.var(), in.var());
        }
    }

    /**
     * Stored content (map {@code blobs}, by blob id): where its bytes are, and how many messages
     * refer to it. At zero references the blob is dropped and its segment's live bytes shrink.
     */
    record Blob(long segment, long offset, long length, long refs) {
        Blob withRefs(long newRefs) {
            return new Blob(segment, offset, length, newRefs);
        }

        byte[] encode() {
            return new Codec.Out().var(segment).var(offset).var(length).var(refs).bytes();
        }

        static Blob decode(byte[] bytes) {
            Codec.In in = new Codec.In(bytes);
            return new Blob(in.var(), in.var(), in.var(), in.var());
        }
    }

    /**
     * A segment file (map {@code segments}, by number): the length up to which its bytes are
     * committed (recovery truncates the file there), and its live bytes and blobs, for deletion
     * when none is left and for a later compaction.
     */
    record Segment(long committedLength, long liveBytes, long liveBlobs) {
        byte[] encode() {
            return new Codec.Out().var(committedLength).var(liveBytes).var(liveBlobs).bytes();
        }

        static Segment decode(byte[] bytes) {
            Codec.In in = new Codec.In(bytes);
            return new Segment(in.var(), in.var(), in.var());
        }
    }
}
