package org.postbus.store.file.internal;

import java.util.EnumSet;
import java.util.Set;
import org.postbus.api.store.SpecialUse;

/**
 * A mailbox as the index keeps it (map {@code mailboxes}, by mailbox id): its name and counters,
 * so that SELECT and STATUS read one record. Changed only by the committer, on a copy it writes
 * back.
 */
final class MailboxRecord {
    private static final int FORMAT = 1;

    final long id;
    final long userId;
    String name;
    /** Changes only while the mailbox has never held a message (an import takes the source's). */
    long uidValidity;
    long uidNext;
    long highestModSeq;
    int specialUse;
    long messages;
    long unseen;
    long deleted;
    long size;
    boolean dirty;

    MailboxRecord(long id, long userId, String name, long uidValidity, int specialUse) {
        this.id = id;
        this.userId = userId;
        this.name = name;
        this.uidValidity = uidValidity;
        this.uidNext = 1;
        this.highestModSeq = 1;
        this.specialUse = specialUse;
    }

    /** The next MODSEQ of this mailbox: every change gets its own, strictly increasing. */
    long nextModSeq() {
        dirty = true;
        return ++highestModSeq;
    }

    byte[] encode() {
        return new Codec.Out().u8(FORMAT).var(userId).string(name).var(uidValidity).var(uidNext)
                .var(highestModSeq).var(specialUse).var(messages).var(unseen).var(deleted).var(size).bytes();
    }

    static MailboxRecord decode(long id, byte[] bytes) {
        Codec.In in = new Codec.In(bytes);
        in.u8();
        long userId = in.var();
        String name = in.string();
        long uidValidity = in.var();
        long uidNext = in.var();
        long highestModSeq = in.var();
        int specialUse = in.varInt();
        MailboxRecord r = new MailboxRecord(id, userId, name, uidValidity, specialUse);
        r.uidNext = uidNext;
        r.highestModSeq = highestModSeq;
        r.messages = in.var();
        r.unseen = in.var();
        r.deleted = in.var();
        r.size = in.var();
        return r;
    }

    Set<SpecialUse> specialUses() {
        return specialUses(specialUse);
    }

    static Set<SpecialUse> specialUses(int mask) {
        EnumSet<SpecialUse> set = EnumSet.noneOf(SpecialUse.class);
        for (SpecialUse u : SpecialUse.values()) {
            if ((mask & (1 << u.ordinal())) != 0) {
                set.add(u);
            }
        }
        return set;
    }

    static int mask(Set<SpecialUse> uses) {
        int mask = 0;
        for (SpecialUse u : uses) {
            mask |= 1 << u.ordinal();
        }
        return mask;
    }

    /** The RFC 8474 MAILBOXID. */
    String objectId() {
        return objectId(id);
    }

    static String objectId(long id) {
        return "F" + id;
    }
}
