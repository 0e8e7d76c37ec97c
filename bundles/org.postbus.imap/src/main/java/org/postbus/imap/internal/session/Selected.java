package org.postbus.imap.internal.session;

import java.util.Arrays;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;

/**
 * The selected mailbox of one session: the store handle and the session's view of it, which
 * moves only at the points where the protocol lets the server tell the client. Kept small: the
 * sequence-to-UID map is one {@code long[]}.
 */
public final class Selected {

    private Mailbox mailbox;
    private MailStore store;
    private final MailboxInfo info;
    private final boolean readOnly;
    private long[] uids;
    private long highestModSeq;
    private long recentFrom;
    private volatile boolean dirty;
    /** This session's own flag changes (UID to MODSEQ), already reported to the client; null when none. */
    private java.util.HashMap<Long, Long> own;

    Selected(Mailbox mailbox, MailboxInfo info, boolean readOnly, long[] uids, long highestModSeq,
            long recentFrom) {
        this.mailbox = mailbox;
        this.info = info;
        this.readOnly = readOnly;
        this.uids = uids;
        this.highestModSeq = highestModSeq;
        this.recentFrom = recentFrom;
    }

    /** The store the handle came from. */
    MailStore store() {
        return store;
    }

    /** Takes a new handle from a store that came back (the old one died with its service). */
    void reopened(MailStore from, Mailbox handle) {
        Mailbox old = this.mailbox;
        this.mailbox = handle;
        this.store = from;
        dirty = true;
        try {
            old.close();
        } catch (RuntimeException e) {
            // The old store is gone; its handle with it.
        }
    }

    void store(MailStore from) {
        this.store = from;
    }

    /** The store's handle. */
    public Mailbox mailbox() {
        return mailbox;
    }

    /** The mailbox as it was when selected. */
    public MailboxInfo info() {
        return info;
    }

    /** The mailbox's stable identity. */
    public String id() {
        return info.id();
    }

    /** Whether it was opened with EXAMINE. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The UIDs the client knows, by sequence number - 1. */
    public long[] uids() {
        return uids;
    }

    /** Number of messages the client knows. */
    public int count() {
        return uids.length;
    }

    /** The sequence number of {@code uid}, or 0 if the client does not know it. */
    public int seq(long uid) {
        int i = Arrays.binarySearch(uids, uid);
        return i < 0 ? 0 : i + 1;
    }

    void uids(long[] updated) {
        this.uids = updated;
    }

    long highestModSeq() {
        return highestModSeq;
    }

    void highestModSeq(long modSeq) {
        this.highestModSeq = Math.max(highestModSeq, modSeq);
    }

    /** The lowest UID that is \Recent for this session. */
    public long recentFrom() {
        return recentFrom;
    }

    /** Number of \Recent messages the client knows. */
    public long recentCount() {
        int i = Arrays.binarySearch(uids, recentFrom);
        int first = i < 0 ? -i - 1 : i;
        return uids.length - first;
    }

    /** Marks the view as behind the store, so that the next notification point checks it. */
    public void touch() {
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    void dirty(boolean value) {
        this.dirty = value;
    }

    /** Remembers a flag change this session made and reported itself. */
    public void ownChange(long uid, long modSeq) {
        if (own == null) {
            own = new java.util.HashMap<>();
        }
        own.put(uid, modSeq);
        dirty = true;
    }

    boolean isOwn(long uid, long modSeq) {
        Long mine = own == null ? null : own.get(uid);
        return mine != null && mine == modSeq;
    }

    void clearOwn() {
        own = null;
    }

    void close() {
        mailbox.close();
    }
}
