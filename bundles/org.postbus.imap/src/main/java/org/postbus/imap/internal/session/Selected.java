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
    /**
     * The UID ranges {@code [from, to)} this session won as \Recent (RFC 3501 2.3.2): the first at
     * SELECT, one more each time it is the first to learn of new messages. Ascending, disjoint.
     */
    private final java.util.List<long[]> recent = new java.util.ArrayList<>();
    private volatile boolean dirty;
    /** This session's own flag changes (UID to MODSEQ), already reported to the client; null when none. */
    private java.util.HashMap<Long, Long> own;

    Selected(Mailbox mailbox, MailboxInfo info, boolean readOnly, long[] uids, long highestModSeq,
            long recentFrom, long recentTo) {
        this.mailbox = mailbox;
        this.info = info;
        this.readOnly = readOnly;
        this.uids = uids;
        this.highestModSeq = highestModSeq;
        if (recentFrom < recentTo) {
            recent.add(new long[] {recentFrom, recentTo});
        }
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

    /**
     * The keywords this session has announced in FLAGS and PERMANENTFLAGS: those in use at
     * SELECT, and each new one as the session first reports it (RFC 9051 7.3.5). Sorted
     * ignoring case, as IMAP compares keywords.
     */
    private final java.util.Set<String> keywords = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    /** The keywords announced so far. */
    public java.util.Set<String> keywords() {
        return java.util.Collections.unmodifiableSet(keywords);
    }

    /** Adds keywords; returns whether any was new. */
    public boolean addKeywords(java.util.Collection<String> more) {
        return keywords.addAll(more);
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

    /** Whether the message is \Recent for this session (it was the first to be told of it). */
    public boolean isRecent(long uid) {
        // Binary search: a long session that shares new mail with another wins many small ranges.
        int lo = 0;
        int hi = recent.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long[] r = recent.get(mid);
            if (uid < r[0]) {
                hi = mid - 1;
            } else if (uid >= r[1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Records the UIDs {@code [from, to)} as won by this session. */
    void addRecent(long from, long to) {
        if (from >= to) {
            return;
        }
        long[] last = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        if (last != null && last[1] == from) {
            last[1] = to;
        } else {
            recent.add(new long[] {from, to});
        }
    }

    /** Number of \Recent messages the client knows. */
    public long recentCount() {
        long n = 0;
        for (long[] r : recent) {
            int i = Arrays.binarySearch(uids, r[0]);
            int from = i < 0 ? -i - 1 : i;
            int j = Arrays.binarySearch(uids, r[1]);
            int to = j < 0 ? -j - 1 : j;
            n += to - from;
        }
        return n;
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
