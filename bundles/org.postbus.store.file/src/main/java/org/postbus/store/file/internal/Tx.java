package org.postbus.store.file.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.h2.mvstore.Cursor;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException;
import org.postbus.store.file.internal.SmallRecords.Blob;
import org.postbus.store.file.internal.SmallRecords.Segment;
import org.postbus.store.file.internal.SmallRecords.Usage;
import org.postbus.store.file.internal.SmallRecords.User;

/**
 * One change being applied to the live index maps, on the committer thread. It reads the
 * current (uncommitted) state, so that changes in one batch build on each other, and collects
 * the events to post once the batch is durable.
 *
 * <p>A change checks everything that can fail before it writes; should it fail after writing
 * anyway, the committer rolls the whole batch back and applies it again without it.
 */
final class Tx {

    /** The mailboxes every user gets on first use, beside INBOX. */
    static final Map<String, SpecialUse> DEFAULT_MAILBOXES = defaults();

    /** Highest UID IMAP can express. */
    static final long MAX_UID = 0xFFFF_FFFFL;

    /** An event to post after the commit. */
    record Event(String topic, Map<String, Object> properties) {
    }

    final Index ix;
    final Instant now;
    final List<Event> events = new ArrayList<>();
    /** Segments whose last live blob went in this change. */
    final List<Long> emptiedSegments = new ArrayList<>();
    private final Map<Long, MailboxRecord> boxes = new LinkedHashMap<>();
    private final Set<Long> deletedBoxes = new HashSet<>();
    private final Map<Long, Usage> usages = new HashMap<>();
    private final Map<Key, byte[]> uidSets = new HashMap<>();

    Tx(Index ix, Instant now) {
        this.ix = ix;
        this.now = now;
    }

    private static Map<String, SpecialUse> defaults() {
        Map<String, SpecialUse> m = new LinkedHashMap<>();
        m.put("Drafts", SpecialUse.DRAFTS);
        m.put("Sent", SpecialUse.SENT);
        m.put("Trash", SpecialUse.TRASH);
        m.put("Junk", SpecialUse.JUNK);
        m.put("Archive", SpecialUse.ARCHIVE);
        return m;
    }

    /** Writes back the mailbox counters and quota use this change touched. */
    void finish() {
        for (MailboxRecord r : boxes.values()) {
            if (r.dirty && !deletedBoxes.contains(r.id)) {
                ix.mailboxes.put(r.id, r.encode());
                r.dirty = false;
            }
        }
        for (Map.Entry<Long, Usage> e : usages.entrySet()) {
            ix.usage.put(e.getKey(), e.getValue().encode());
        }
        usages.clear();
        for (Map.Entry<Key, byte[]> e : uidSets.entrySet()) {
            if (deletedBoxes.contains(e.getKey().hi())) {
                continue;
            }
            if (UidSets.isEmpty(e.getValue())) {
                ix.uidSets.remove(e.getKey());
            } else {
                ix.uidSets.put(e.getKey(), e.getValue());
            }
        }
        uidSets.clear();
    }

    // ---- users

    User user(MailAddress address) {
        byte[] b = ix.users.get(Index.userKey(address));
        return b == null ? null : User.decode(b);
    }

    /** The user, created on first use with INBOX and the special-use mailboxes. */
    User ensureUser(MailAddress address) {
        User u = user(address);
        if (u != null) {
            return u;
        }
        u = new User(ix.next(Index.NEXT_USER), address.toString());
        ix.users.put(Index.userKey(address), u.encode());
        createBox(u, address, MailStore.INBOX, 0);
        subscribe(u, MailStore.INBOX, true);
        for (Map.Entry<String, SpecialUse> e : DEFAULT_MAILBOXES.entrySet()) {
            createBox(u, address, e.getKey(), MailboxRecord.mask(Set.of(e.getValue())));
            subscribe(u, e.getKey(), true);
        }
        return u;
    }

    Usage usage(long userId) {
        Usage u = usages.get(userId);
        return u != null ? u : Usage.decode(ix.usage.get(userId));
    }

    private void addUsage(long userId, long bytes, long messages) {
        usages.put(userId, usage(userId).plus(bytes, messages));
    }

    /** Sets a user's usage outright: a repair after the counted one drifted. */
    void setUsage(long userId, Usage use) {
        usages.put(userId, use);
    }

    /**
     * Checks that {@code bytes} more fit in the user's quota.
     *
     * @param limit the limit in bytes, negative for none
     */
    void checkQuota(User u, long limit, long bytes) throws StoreException {
        if (limit >= 0 && bytes > 0) {
            Usage use = usage(u.id());
            if (use.bytes() + bytes > limit) {
                throw overQuota(u.address(), limit, use.bytes(), bytes);
            }
        }
    }

    boolean fitsQuota(User u, long limit, long bytes) {
        return limit < 0 || bytes <= 0 || usage(u.id()).bytes() + bytes <= limit;
    }

    static StoreException overQuota(String user, long limit, long used, long bytes) {
        return new StoreException(StoreException.Reason.OVER_QUOTA, "quota of " + user + " exceeded: " + used
                + " of " + limit + " bytes used, " + bytes + " more bytes do not fit");
    }

    // ---- mailboxes

    MailboxRecord box(long id) {
        if (deletedBoxes.contains(id)) {
            return null;
        }
        MailboxRecord r = boxes.get(id);
        if (r == null) {
            byte[] b = ix.mailboxes.get(id);
            if (b == null) {
                return null;
            }
            r = MailboxRecord.decode(id, b);
            boxes.put(id, r);
        }
        return r;
    }

    /** A mailbox the caller must find, else {@code NONEXISTENT}. */
    MailboxRecord existingBox(long id) throws StoreException {
        MailboxRecord r = box(id);
        if (r == null) {
            throw new StoreException(StoreException.Reason.NONEXISTENT, "the mailbox no longer exists");
        }
        return r;
    }

    MailboxRecord boxByName(User u, String canonical) {
        Long id = ix.names.get(Index.prefix(u.id()) + canonical);
        return id == null ? null : box(id);
    }

    /** The user's mailboxes, in name order. */
    List<MailboxRecord> boxes(User u) {
        List<MailboxRecord> list = new ArrayList<>();
        String prefix = Index.prefix(u.id());
        Cursor<String, Long> c = ix.names.cursor(prefix, Index.prefixEnd(prefix), false);
        while (c.hasNext()) {
            c.next();
            MailboxRecord r = box(c.getValue());
            if (r != null) {
                list.add(r);
            }
        }
        return list;
    }

    MailboxRecord createBox(User u, MailAddress address, String canonical, int specialUse) {
        return createBox(u, address, canonical, specialUse, nextUidValidity());
    }

    /** Creates a mailbox with a given UIDVALIDITY (an import's). */
    MailboxRecord createBox(User u, MailAddress address, String canonical, int specialUse, long uidValidity) {
        long id = ix.next(Index.NEXT_MAILBOX);
        MailboxRecord r = new MailboxRecord(id, u.id(), canonical, uidValidity, specialUse);
        r.dirty = true;
        boxes.put(id, r);
        ix.names.put(Index.prefix(u.id()) + canonical, id);
        event(StoreEvents.MAILBOX_CREATED, address, r, null, null);
        return r;
    }

    /** Creates the missing ancestors of a name. */
    void createParents(User u, MailAddress address, String canonical) {
        for (String parent : MailboxNames.parents(canonical)) {
            if (boxByName(u, parent) == null) {
                createBox(u, address, parent, 0);
            }
        }
    }

    /**
     * A UIDVALIDITY never given before in this store: the time in seconds, or one more than the
     * last when mailboxes are created faster than that.
     */
    private long nextUidValidity() {
        long last = ix.meta.getOrDefault(Index.LAST_UIDVALIDITY, 0L);
        long value = Math.max(last + 1, now.getEpochSecond());
        if (value > 0xFFFF_FFFFL) {
            value = 1; // 2106: wrap; a collision with a value given 136 years before is harmless
        }
        ix.meta.put(Index.LAST_UIDVALIDITY, value);
        return value;
    }

    /**
     * Notes a UIDVALIDITY given from outside (an import), so that a mailbox created later under
     * the same name gets a greater one.
     */
    void noteUidValidity(long value) {
        if (value > ix.meta.getOrDefault(Index.LAST_UIDVALIDITY, 0L)) {
            ix.meta.put(Index.LAST_UIDVALIDITY, value);
        }
    }

    void renameBox(MailboxRecord r, String newName) {
        String prefix = Index.prefix(r.userId);
        ix.names.remove(prefix + r.name);
        ix.names.put(prefix + newName, r.id);
        r.name = newName;
        r.dirty = true;
    }

    /** Deletes a mailbox with its messages and expunge history. */
    void deleteBox(MailboxRecord r) {
        Cursor<Key, byte[]> c = ix.messages.cursor(Key.first(r.id), Key.last(r.id), false);
        long bytes = 0;
        long count = 0;
        while (c.hasNext()) {
            Key k = c.next();
            MessageRecord m = MessageRecord.decode(c.getValue());
            ix.messages.remove(k);
            ix.changes.remove(new Key(r.id, m.modSeq));
            unref(m.blobId);
            bytes += m.size;
            count++;
        }
        Cursor<Key, Long> v = ix.vanished.cursor(Key.first(r.id), Key.last(r.id), false);
        while (v.hasNext()) {
            ix.vanished.remove(v.next());
        }
        Cursor<Key, Long> t = ix.expungeTimes.cursor(Key.first(r.id), Key.last(r.id), false);
        while (t.hasNext()) {
            ix.expungeTimes.remove(t.next());
        }
        Cursor<Key, byte[]> u = ix.uidSets.cursor(Key.first(r.id), Key.last(r.id), false);
        while (u.hasNext()) {
            ix.uidSets.remove(u.next());
        }
        if (count > 0) {
            addUsage(r.userId, -bytes, -count);
        }
        ix.names.remove(Index.prefix(r.userId) + r.name);
        ix.mailboxes.remove(r.id);
        deletedBoxes.add(r.id);
        boxes.remove(r.id);
    }

    MailboxInfo info(MailboxRecord r) {
        return new MailboxInfo(r.name, r.objectId(), r.uidValidity, r.specialUses(),
                subscribed(r.userId, r.name));
    }

    // ---- subscriptions

    boolean subscribed(long userId, String canonical) {
        return ix.subscriptions.containsKey(Index.prefix(userId) + canonical);
    }

    void subscribe(User u, String canonical, boolean subscribed) {
        String key = Index.prefix(u.id()) + canonical;
        if (subscribed) {
            ix.subscriptions.put(key, 1L);
        } else {
            ix.subscriptions.remove(key);
        }
    }

    // ---- messages

    MessageRecord message(long mailboxId, long uid) {
        byte[] b = ix.messages.get(new Key(mailboxId, uid));
        return b == null ? null : MessageRecord.decode(b);
    }

    /** Checks that {@code count} more UIDs fit in the mailbox. */
    static void checkUids(MailboxRecord box, long count) throws StoreException {
        if (box.uidNext + count - 1 > MAX_UID) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED,
                    "mailbox " + box.name + " has used up its UIDs; rename it and create a new one");
        }
    }

    /**
     * Adds a message with the next UID and MODSEQ; returns the UID. Its keywords join the
     * mailbox's keyword list.
     */
    long addMessage(MailboxRecord box, MessageRecord m) {
        return addMessage(box, box.uidNext, m);
    }

    /**
     * Adds a message under a given UID, not below UIDNEXT (an import keeps the source's UIDs),
     * with the next MODSEQ; returns the UID.
     */
    long addMessage(MailboxRecord box, long uid, MessageRecord m) {
        if (box.messages == 0) {
            // An empty mailbox uses no keyword: its list is known, even in an old record.
            box.clearKeywords();
        }
        box.addKeywords(m.keywords);
        box.uidNext = Math.max(box.uidNext, uid + 1);
        m.modSeq = box.nextModSeq();
        ix.messages.put(new Key(box.id, uid), m.encode());
        ix.changes.put(new Key(box.id, m.modSeq), uid);
        uidSet(box.id, uid)[UidSets.byteOf(uid)] |= UidSets.bitOf(uid);
        box.messages++;
        box.size += m.size;
        if (!m.has(Flag.SEEN)) {
            box.unseen++;
        }
        if (m.has(Flag.DELETED)) {
            box.deleted++;
        }
        addUsage(box.userId, m.size, 1);
        return uid;
    }

    /** Gives a message new flags and the next MODSEQ; new keywords join the mailbox's list. */
    void updateMessage(MailboxRecord box, long uid, MessageRecord m, int flags, long[] keywords) {
        boolean wasSeen = m.has(Flag.SEEN);
        boolean wasDeleted = m.has(Flag.DELETED);
        ix.changes.remove(new Key(box.id, m.modSeq));
        m.flags = flags;
        m.keywords = keywords;
        box.addKeywords(keywords);
        m.modSeq = box.nextModSeq();
        ix.messages.put(new Key(box.id, uid), m.encode());
        ix.changes.put(new Key(box.id, m.modSeq), uid);
        box.unseen += (wasSeen ? 1 : 0) - (m.has(Flag.SEEN) ? 1 : 0);
        box.deleted += (m.has(Flag.DELETED) ? 1 : 0) - (wasDeleted ? 1 : 0);
    }

    /**
     * Removes a message from its mailbox, remembering its UID as expunged.
     *
     * @param keepBlob whether the content lives on in another mailbox (MOVE)
     */
    void removeMessage(MailboxRecord box, long uid, MessageRecord m, boolean keepBlob) {
        ix.messages.remove(new Key(box.id, uid));
        ix.changes.remove(new Key(box.id, m.modSeq));
        long modSeq = box.nextModSeq();
        ix.vanished.put(new Key(box.id, modSeq), uid);
        ExpungeHistory.markTime(ix, box.id, modSeq, now.toEpochMilli());
        uidSet(box.id, uid)[UidSets.byteOf(uid)] &= (byte) ~UidSets.bitOf(uid);
        box.messages--;
        box.size -= m.size;
        if (!m.has(Flag.SEEN)) {
            box.unseen--;
        }
        if (m.has(Flag.DELETED)) {
            box.deleted--;
        }
        addUsage(box.userId, -m.size, -1);
        if (!keepBlob) {
            unref(m.blobId);
        }
        if (box.messages == 0) {
            // Emptied: the keywords no message has any more leave its list (see MailboxRecord).
            box.clearKeywords();
        }
    }

    /**
     * Replaces the UID bitmaps of a mailbox by {@code sets} (chunk number to bitmap): a repair
     * after they drifted from the messages.
     */
    void replaceUidSets(long mailboxId, Map<Long, byte[]> sets) {
        Cursor<Key, byte[]> c = ix.uidSets.cursor(Key.first(mailboxId), Key.last(mailboxId), false);
        while (c.hasNext()) {
            Key k = c.next();
            if (!sets.containsKey(k.lo())) {
                uidSets.put(k, new byte[UidSets.BYTES]);
            }
        }
        for (Map.Entry<Long, byte[]> e : sets.entrySet()) {
            uidSets.put(new Key(mailboxId, e.getKey()), e.getValue().clone());
        }
    }

    /** The UID bitmap holding {@code uid}, as changed so far by this change. */
    private byte[] uidSet(long mailboxId, long uid) {
        Key key = UidSets.key(mailboxId, uid);
        byte[] set = uidSets.get(key);
        if (set == null) {
            byte[] stored = ix.uidSets.get(key);
            set = stored == null ? new byte[UidSets.BYTES] : stored.clone();
            uidSets.put(key, set);
        }
        return set;
    }

    // ---- blobs and segments

    /** Records newly written content, referred to by {@code refs} messages. */
    long createBlob(Segments.Reservation r, long refs) {
        long id = ix.next(Index.NEXT_BLOB);
        long segment = r.file().id;
        ix.blobs.put(id, new Blob(segment, r.offset(), r.length(), refs).encode());
        addLive(r);
        return id;
    }

    /** Counts a newly written range as live in its segment, whose committed length then covers it. */
    private void addLive(Segments.Reservation r) {
        long segment = r.file().id;
        byte[] b = ix.segments.get(segment);
        Segment s = b == null ? new Segment(0, 0, 0) : Segment.decode(b);
        ix.segments.put(segment, new Segment(Math.max(s.committedLength(), r.end()), s.liveBytes() + r.length(),
                s.liveBlobs() + 1).encode());
        if (segment > ix.meta.getOrDefault(Index.LAST_SEGMENT, 0L)) {
            ix.meta.put(Index.LAST_SEGMENT, segment);
        }
    }

    /**
     * Points a blob at a copy of its bytes (segment compaction): the copy's segment counts them as
     * live, the old one no longer, and an old segment left without live content goes the way of
     * an emptied one.
     *
     * @return the blob as moved, or {@code null} if it is no longer where the copy was taken from
     *     (expunged meanwhile)
     */
    Blob moveBlob(long blobId, long fromSegment, long fromOffset, Segments.Reservation to) {
        byte[] bytes = ix.blobs.get(blobId);
        if (bytes == null) {
            return null;
        }
        Blob b = Blob.decode(bytes);
        if (b.segment() != fromSegment || b.offset() != fromOffset || b.length() != to.length()) {
            return null;
        }
        Blob moved = new Blob(to.file().id, to.offset(), b.length(), b.refs());
        ix.blobs.put(blobId, moved.encode());
        addLive(to);
        dropLive(b);
        return moved;
    }

    /**
     * Gives a message record the current place of its blob, if it still names {@code fromSegment}.
     *
     * @return whether it was changed
     */
    boolean relocate(Key key, long blobId, long fromSegment, Blob now) {
        byte[] b = ix.messages.get(key);
        if (b == null) {
            return false;
        }
        MessageRecord m = MessageRecord.decode(b);
        if (m.blobId != blobId || m.segment != fromSegment) {
            return false;
        }
        ix.messages.put(key, m.at(now.segment(), now.offset()).encode());
        return true;
    }

    /** Takes a blob's bytes off its segment's live count. */
    private void dropLive(Blob b) {
        byte[] sb = ix.segments.get(b.segment());
        if (sb != null) {
            Segment s = Segment.decode(sb);
            Segment after = new Segment(s.committedLength(), s.liveBytes() - b.length(), s.liveBlobs() - 1);
            ix.segments.put(b.segment(), after.encode());
            if (after.liveBlobs() <= 0) {
                emptiedSegments.add(b.segment());
            }
        }
    }

    /** Sets a blob's reference count outright (a repair); at zero the blob is dropped. */
    void setRefs(long blobId, long refs) {
        byte[] bytes = ix.blobs.get(blobId);
        if (bytes == null) {
            return;
        }
        if (refs > 0) {
            ix.blobs.put(blobId, Blob.decode(bytes).withRefs(refs).encode());
        } else {
            ix.blobs.put(blobId, Blob.decode(bytes).withRefs(1).encode());
            unref(blobId);
        }
    }

    /**
     * Records again the content of messages whose blob entry was lost, at the place their
     * entries give, so that its segment counts it as live (a repair).
     */
    void restoreBlob(long blobId, long segment, long offset, long length, long refs) {
        ix.blobs.put(blobId, new Blob(segment, offset, length, refs).encode());
        byte[] b = ix.segments.get(segment);
        if (b != null) {
            Segment s = Segment.decode(b);
            ix.segments.put(segment, new Segment(s.committedLength(), s.liveBytes() + length, s.liveBlobs() + 1)
                    .encode());
        }
    }

    void ref(long blobId) {
        Blob b = Blob.decode(ix.blobs.get(blobId));
        ix.blobs.put(blobId, b.withRefs(b.refs() + 1).encode());
    }

    /** Drops one reference; the last one frees the blob's bytes in its segment. */
    void unref(long blobId) {
        byte[] bytes = ix.blobs.get(blobId);
        if (bytes == null) {
            return;
        }
        Blob b = Blob.decode(bytes);
        if (b.refs() > 1) {
            ix.blobs.put(blobId, b.withRefs(b.refs() - 1).encode());
            return;
        }
        ix.blobs.remove(blobId);
        dropLive(b);
    }

    // ---- threads

    /**
     * The thread of a new message: that of a message it refers to (or of one that referred to
     * it, for a parent arriving after its reply), else a new one. Remembers its own id and the
     * ids it refers to, so later messages join.
     */
    long thread(User u, HeaderScanner.Ids ids) {
        String prefix = Index.prefix(u.id());
        Long found = null;
        for (String ref : ids.references()) {
            found = ix.threads.get(prefix + ref);
            if (found != null) {
                break;
            }
        }
        if (found == null && ids.messageId() != null) {
            found = ix.threads.get(prefix + ids.messageId());
        }
        long thread = found != null ? found : ix.next(Index.NEXT_THREAD);
        if (ids.messageId() != null) {
            ix.threads.putIfAbsent(prefix + ids.messageId(), thread);
        }
        for (String ref : ids.references()) {
            ix.threads.putIfAbsent(prefix + ref, thread);
        }
        return thread;
    }

    // ---- flags and keywords

    /** The ids of keywords, sorted; new keywords get ids when {@code create}, else are left out. */
    long[] keywordIds(Set<String> keywords, boolean create) {
        if (keywords.isEmpty()) {
            return MessageRecord.NO_KEYWORDS;
        }
        TreeSet<Long> ids = new TreeSet<>();
        for (String k : keywords) {
            if (k.isEmpty()) {
                continue;
            }
            String lower = k.toLowerCase(Locale.ROOT);
            Long id = ix.keywordIds.get(lower);
            if (id == null && create) {
                id = ix.next(Index.NEXT_KEYWORD);
                ix.keywordIds.put(lower, id);
                ix.keywordNames.put(id, k);
            }
            if (id != null) {
                ids.add(id);
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    Flags flags(MessageRecord m) {
        Set<String> names = new HashSet<>();
        for (long id : m.keywords) {
            String name = ix.keywordNames.get(id);
            if (name != null) {
                names.add(name);
            }
        }
        return new Flags(MessageRecord.flags(m.flags), names);
    }

    MessageMeta meta(long uid, MessageRecord m) {
        return Reads.meta(uid, m, flags(m));
    }

    static long[] union(long[] a, long[] b) {
        TreeSet<Long> s = new TreeSet<>();
        Arrays.stream(a).forEach(s::add);
        Arrays.stream(b).forEach(s::add);
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    static long[] minus(long[] a, long[] b) {
        if (b.length == 0) {
            return a;
        }
        return Arrays.stream(a).filter(x -> Arrays.binarySearch(b, x) < 0).toArray();
    }

    // ---- events

    void event(String topic, MailAddress user, MailboxRecord box, long[] uids, String oldName) {
        Map<String, Object> p = new HashMap<>();
        p.put(StoreEvents.USER, user.toString());
        p.put(StoreEvents.MAILBOX, box.name);
        p.put(StoreEvents.MAILBOX_ID, box.objectId());
        p.put(StoreEvents.UIDVALIDITY, box.uidValidity);
        p.put(StoreEvents.MODSEQ, box.highestModSeq);
        if (uids != null) {
            p.put(StoreEvents.UIDS, uids);
        }
        if (oldName != null) {
            p.put(StoreEvents.OLD_MAILBOX, oldName);
        }
        events.add(new Event(topic, p));
    }
}
