package org.postbus.store.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.h2.mvstore.Cursor;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flag;
import org.postbus.store.file.internal.SmallRecords.Blob;
import org.postbus.store.file.internal.SmallRecords.Segment;
import org.postbus.store.file.internal.SmallRecords.Usage;
import org.postbus.store.file.internal.SmallRecords.User;

/**
 * Checks one user's part of the index against itself and against the segment files, and, given
 * a {@link Tx}, repairs it.
 *
 * <p>For each of the user's mailboxes: the counters (messages, unseen, deleted, size) against the
 * messages; every UID below UIDNEXT and every MODSEQ (of messages, of expunged UIDs and the one up
 * to which the expunge history was trimmed) at most HIGHESTMODSEQ; the change log (CHANGEDSINCE) holding exactly one entry per message at its
 * MODSEQ; the expunged list (VANISHED) naming no message still present; the UID bitmaps
 * ({@code uids()}) matching the messages; the keyword list (FLAGS) naming every keyword its
 * messages have; every message's content readable: its segment file
 * exists and holds its whole range. Then for the user: each segment holding their messages
 * recorded in the index with a committed length covering them (else a restart would cut or delete
 * it); each content record present, agreeing with its messages on place and size, and counting
 * exactly the messages that refer to it; the quota usage matching the messages.
 *
 * <p>Reference counts are store-wide (a delivery to several users shares content). Content whose
 * count differs from this user's references is counted over the whole store; content whose count
 * equals them is taken as right without that scan, so that checking every user stays linear in
 * the size of the store.
 *
 * <p>A repair never removes a message whose content can be read. It recomputes counters (and,
 * with them, the keyword list), usage and reference counts, raises UIDNEXT and HIGHESTMODSEQ above what is in use, rebuilds the change
 * log entries and UID bitmaps, records again segments and content records the index lost, and
 * removes the index entries of messages whose content cannot be read (they are reported
 * expunged, so clients drop them). A place or size on which a message and its content record
 * disagree is reported and left as it is: which of the two is right cannot be told.
 */
final class StoreCheck {

    /** Most problems listed one by one; beyond, they are counted. */
    static final int MAX_PROBLEMS = 10_000;

    /** Where a check reads: a view (for a check alone) or the live index inside a change. */
    interface Source {
        Cursor<String, Long> names(String from, String to);

        /** A mailbox record; inside a change, the change's own copy, which a repair may alter. */
        MailboxRecord mailbox(long id);

        Cursor<Key, byte[]> messages(long mailboxId);

        byte[] message(long mailboxId, long uid);

        Cursor<Key, byte[]> allMessages();

        Long change(long mailboxId, long modSeq);

        Cursor<Key, Long> changes(long mailboxId);

        Cursor<Key, Long> vanished(long mailboxId);

        Cursor<Key, byte[]> uidSets(long mailboxId);

        byte[] blob(long id);

        Cursor<Long, byte[]> blobs();

        byte[] segment(long id);

        Usage usage(long userId);

        /** A keyword by id from the store-wide dictionary, or {@code null}. */
        String keyword(long id);

        /**
         * Whether a message whose content was found missing is still in the store as seen: a
         * check on a view may find the file of a segment emptied and deleted since.
         */
        boolean stillPresent(long mailboxId, long uid, MessageRecord m);
    }

    /** Reads a view: the last durable state, without holding up writers. */
    static final class ViewSource implements Source {
        /** Tells whether a message is still present in the current index. */
        interface Current {
            boolean present(long mailboxId, long uid, MessageRecord m);
        }

        private final View v;
        private final Current current;

        ViewSource(View v, Current current) {
            this.v = v;
            this.current = current;
        }

        @Override
        public Cursor<String, Long> names(String from, String to) {
            return v.names(from, to);
        }

        @Override
        public MailboxRecord mailbox(long id) {
            byte[] b = v.mailbox(id);
            return b == null ? null : MailboxRecord.decode(id, b);
        }

        @Override
        public Cursor<Key, byte[]> messages(long mailboxId) {
            return v.messages(mailboxId, 0, Long.MAX_VALUE);
        }

        @Override
        public byte[] message(long mailboxId, long uid) {
            return v.message(mailboxId, uid);
        }

        @Override
        public Cursor<Key, byte[]> allMessages() {
            return v.allMessages();
        }

        @Override
        public Long change(long mailboxId, long modSeq) {
            return v.change(mailboxId, modSeq);
        }

        @Override
        public Cursor<Key, Long> changes(long mailboxId) {
            return v.changes(mailboxId, -1);
        }

        @Override
        public Cursor<Key, Long> vanished(long mailboxId) {
            return v.vanished(mailboxId, -1);
        }

        @Override
        public Cursor<Key, byte[]> uidSets(long mailboxId) {
            return v.uidSets(mailboxId);
        }

        @Override
        public byte[] blob(long id) {
            return v.blob(id);
        }

        @Override
        public Cursor<Long, byte[]> blobs() {
            return v.blobs();
        }

        @Override
        public byte[] segment(long id) {
            return v.segment(id);
        }

        @Override
        public Usage usage(long userId) {
            return Usage.decode(v.usage(userId));
        }

        @Override
        public String keyword(long id) {
            return v.keyword(id);
        }

        @Override
        public boolean stillPresent(long mailboxId, long uid, MessageRecord m) {
            return current.present(mailboxId, uid, m);
        }
    }

    /** Reads the live index inside a committer change, where nothing else changes it. */
    static final class LiveSource implements Source {
        private final Tx tx;
        private final Index ix;

        LiveSource(Tx tx) {
            this.tx = tx;
            this.ix = tx.ix;
        }

        @Override
        public Cursor<String, Long> names(String from, String to) {
            return ix.names.cursor(from, to, false);
        }

        @Override
        public MailboxRecord mailbox(long id) {
            return tx.box(id);
        }

        @Override
        public Cursor<Key, byte[]> messages(long mailboxId) {
            return ix.messages.cursor(Key.first(mailboxId), Key.last(mailboxId), false);
        }

        @Override
        public byte[] message(long mailboxId, long uid) {
            return ix.messages.get(new Key(mailboxId, uid));
        }

        @Override
        public Cursor<Key, byte[]> allMessages() {
            return ix.messages.cursor(null, null, false);
        }

        @Override
        public Long change(long mailboxId, long modSeq) {
            return ix.changes.get(new Key(mailboxId, modSeq));
        }

        @Override
        public Cursor<Key, Long> changes(long mailboxId) {
            return ix.changes.cursor(Key.first(mailboxId), Key.last(mailboxId), false);
        }

        @Override
        public Cursor<Key, Long> vanished(long mailboxId) {
            return ix.vanished.cursor(Key.first(mailboxId), Key.last(mailboxId), false);
        }

        @Override
        public Cursor<Key, byte[]> uidSets(long mailboxId) {
            return ix.uidSets.cursor(Key.first(mailboxId), Key.last(mailboxId), false);
        }

        @Override
        public byte[] blob(long id) {
            return ix.blobs.get(id);
        }

        @Override
        public Cursor<Long, byte[]> blobs() {
            return ix.blobs.cursor(null, null, false);
        }

        @Override
        public byte[] segment(long id) {
            return ix.segments.get(id);
        }

        @Override
        public Usage usage(long userId) {
            return tx.usage(userId);
        }

        @Override
        public String keyword(long id) {
            return ix.keywordNames.get(id);
        }

        @Override
        public boolean stillPresent(long mailboxId, long uid, MessageRecord m) {
            return true;
        }
    }

    /** A message to take out of the index: its content cannot be read, or its entry not decoded. */
    private record Removal(long uid, MessageRecord record) {
    }

    private final MailAddress address;
    private final User user;
    private final Source src;
    private final LongFunction<Path> segmentPaths;
    private final Tx tx;
    private final List<String> problems = new ArrayList<>();
    private long unlisted;
    private boolean repaired;
    private long checked;

    /** Segment file sizes, or a reason they cannot be had. */
    private final Map<Long, Object> files = new HashMap<>();
    /** For each segment holding readable messages of the user, the end of the last of them. */
    private final Map<Long, Long> segmentEnds = new TreeMap<>();
    /** Content ids of the readable messages, one per message. */
    private final LongList blobRefs = new LongList();
    /** Content ids whose record is missing, with a readable message referring to it. */
    private final Map<Long, MessageRecord> missingBlobs = new LinkedHashMap<>();
    /** References this repair took away with the messages it removed. */
    private final Map<Long, Long> removedRefs = new HashMap<>();
    private long allBytes;
    private long allMessages;
    private long keptBytes;
    private long keptMessages;
    private boolean removedAny;

    /**
     * @param tx the change to repair in, or {@code null} to check only
     */
    StoreCheck(MailAddress address, User user, Source src, LongFunction<Path> segmentPaths, Tx tx) {
        this.address = address;
        this.user = user;
        this.src = src;
        this.segmentPaths = segmentPaths;
        this.tx = tx;
    }

    CheckReport run() {
        String prefix = Index.prefix(user.id());
        List<MailboxRecord> boxes = new ArrayList<>();
        Cursor<String, Long> names = src.names(prefix, Index.prefixEnd(prefix));
        while (names.hasNext()) {
            String name = names.next().substring(prefix.length());
            MailboxRecord r = src.mailbox(names.getValue());
            if (r == null) {
                problem("mailbox " + name + " is named in the index but has no record, so its messages cannot be "
                        + "listed", null);
            } else {
                boxes.add(r);
            }
        }
        for (MailboxRecord r : boxes) {
            checkMailbox(r);
        }
        checkSegments();
        checkBlobs();
        checkUsage();
        List<String> listed = new ArrayList<>(problems);
        if (unlisted > 0) {
            listed.add("... and " + some(unlisted, "more problem") + " of the kinds above, not listed");
        }
        return new CheckReport(address.toString(), boxes.size(), checked, listed, repaired);
    }

    // ---- one mailbox

    private void checkMailbox(MailboxRecord r) {
        String box = r.name + ": ";
        long count = 0;
        long unseen = 0;
        long deleted = 0;
        long size = 0;
        long keptCount = 0;
        long keptUnseen = 0;
        long keptDeleted = 0;
        long keptSize = 0;
        long maxUid = 0;
        long maxModSeq = 0;
        Map<Long, byte[]> sets = new TreeMap<>();
        List<Removal> removals = new ArrayList<>();
        LongList unlogged = new LongList();
        LongList keywords = new LongList();

        Cursor<Key, byte[]> c = src.messages(r.id);
        while (c.hasNext()) {
            long uid = c.next().lo();
            checked++;
            maxUid = Math.max(maxUid, uid);
            set(sets, uid);
            MessageRecord m;
            try {
                m = MessageRecord.decode(c.getValue());
            } catch (RuntimeException e) {
                removals.add(new Removal(uid, null));
                problem(box + "the index entry of UID " + uid + " cannot be decoded", "entry removed");
                continue;
            }
            count++;
            unseen += m.has(Flag.SEEN) ? 0 : 1;
            deleted += m.has(Flag.DELETED) ? 1 : 0;
            size += m.size;
            maxModSeq = Math.max(maxModSeq, m.modSeq);
            Long logged = src.change(r.id, m.modSeq);
            if (logged == null || logged != uid) {
                unlogged.add(uid);
            }
            m = followMove(box, r.id, uid, m);
            String unreadable = unreadable(m);
            if (unreadable != null && src.stillPresent(r.id, uid, m)) {
                removals.add(new Removal(uid, m));
                problem(box + "the content of UID " + uid + " cannot be read: " + unreadable,
                        "message removed from the index");
                continue;
            }
            // Readable; or expunged since the view was taken, with the last content of its
            // segment, which went with it: as the view has it, it is still whole.
            keptCount++;
            keptUnseen += m.has(Flag.SEEN) ? 0 : 1;
            keptDeleted += m.has(Flag.DELETED) ? 1 : 0;
            keptSize += m.size;
            for (long k : m.keywords) {
                keywords.add(k);
            }
            if (unreadable == null) {
                segmentEnds.merge(m.segment, m.offset + m.size, Math::max);
            }
            blobRefs.add(m.blobId);
            byte[] b = src.blob(m.blobId);
            if (b == null) {
                missingBlobs.putIfAbsent(m.blobId, m);
            } else {
                Blob blob = Blob.decode(b);
                if (blob.segment() != m.segment || blob.offset() != m.offset || blob.length() != m.size) {
                    problem(box + "UID " + uid + " says its " + m.size + " bytes lie at " + m.offset + " in "
                            + fileName(m.segment) + ", its content record M" + m.blobId + " says " + blob.length()
                            + " bytes at " + blob.offset() + " in " + fileName(blob.segment()), null);
                }
            }
        }
        allMessages += count;
        allBytes += size;
        keptMessages += keptCount;
        keptBytes += keptSize;

        List<Key> staleChanges = new ArrayList<>();
        Cursor<Key, Long> changes = src.changes(r.id);
        while (changes.hasNext()) {
            Key k = changes.next();
            long uid = changes.getValue();
            if (modSeqOf(src.message(r.id, uid)) != k.lo()) {
                staleChanges.add(k);
            }
        }
        List<Key> presentVanished = new ArrayList<>();
        long maxVanishedUid = 0;
        long maxVanishedModSeq = 0;
        Cursor<Key, Long> vanished = src.vanished(r.id);
        while (vanished.hasNext()) {
            Key k = vanished.next();
            long uid = vanished.getValue();
            maxVanishedUid = Math.max(maxVanishedUid, uid);
            maxVanishedModSeq = Math.max(maxVanishedModSeq, k.lo());
            if (src.message(r.id, uid) != null) {
                presentVanished.add(k);
            }
        }
        boolean setsDiffer = differ(sets, src.uidSets(r.id));
        long[] inUse = MailboxRecord.distinct(keywords.sorted());
        List<String> unlistedKeywords = unlistedKeywords(r, inUse);

        boolean countersWrong = r.messages != count || r.unseen != unseen || r.deleted != deleted || r.size != size;
        if (countersWrong) {
            problem(box + "its status says " + counters(r.messages, r.unseen, r.deleted, r.size)
                    + ", its messages add up to " + counters(count, unseen, deleted, size), "counters recomputed");
        }
        long uidInUse = Math.max(maxUid, maxVanishedUid);
        if (uidInUse >= r.uidNext) {
            problem(box + "UID " + uidInUse + " is in use but UIDNEXT is " + r.uidNext
                    + " (a new message could be given a UID used before)", "UIDNEXT raised to " + (uidInUse + 1));
        }
        // A trimmed expunge history leaves fewer entries and a higher historyFrom, both fine;
        // only a historyFrom above HIGHESTMODSEQ would be wrong.
        long modSeqInUse = Math.max(Math.max(maxModSeq, maxVanishedModSeq), r.historyFrom);
        if (modSeqInUse > r.highestModSeq) {
            problem(box + "MODSEQ " + modSeqInUse + " is in use but HIGHESTMODSEQ is " + r.highestModSeq
                    + " (clients could miss changes)", "HIGHESTMODSEQ raised to " + modSeqInUse);
        }
        if (!unlogged.isEmpty()) {
            problem(box + some(unlogged.size(), "message") + " missing from the change log, so CHANGEDSINCE would "
                    + "not list them: UIDs " + summary(unlogged), "entered again");
        }
        if (!staleChanges.isEmpty()) {
            problem(box + "the change log has " + some(staleChanges.size(), "entry") + " for messages that are gone "
                    + "or have another MODSEQ", "removed");
        }
        if (!presentVanished.isEmpty()) {
            problem(box + some(presentVanished.size(), "UID") + " listed as expunged while present",
                    "taken off the expunged list");
        }
        if (setsDiffer) {
            problem(box + "the UID map (sequence numbers) does not match the messages", "rebuilt");
        }
        if (!unlistedKeywords.isEmpty()) {
            problem(box + "its keyword list lacks " + some(unlistedKeywords.size(), "keyword") + " its messages "
                    + "have, so FLAGS would not show them: " + String.join(" ", unlistedKeywords.subList(0,
                            Math.min(10, unlistedKeywords.size()))) + (unlistedKeywords.size() > 10 ? " ..." : ""),
                    "keyword list rebuilt");
        }
        if (tx == null) {
            return;
        }
        boolean anything = countersWrong || uidInUse >= r.uidNext || modSeqInUse > r.highestModSeq
                || !unlogged.isEmpty() || !staleChanges.isEmpty() || !presentVanished.isEmpty() || setsDiffer
                || !removals.isEmpty() || !unlistedKeywords.isEmpty();
        if (!anything) {
            return;
        }
        // Raised first, so that the MODSEQs given below lie above every one in use.
        r.uidNext = Math.max(r.uidNext, uidInUse + 1);
        r.highestModSeq = Math.max(r.highestModSeq, modSeqInUse);
        r.dirty = true;
        Index ix = tx.ix;
        Set<Long> removed = new HashSet<>();
        long[] gone = new long[removals.size()];
        for (int i = 0; i < gone.length; i++) {
            Removal x = removals.get(i);
            ix.messages.remove(new Key(r.id, x.uid()));
            if (x.record() != null) {
                Key logged = new Key(r.id, x.record().modSeq);
                Long at = ix.changes.get(logged);
                if (at != null && at == x.uid()) {
                    ix.changes.remove(logged);
                }
                removedRefs.merge(x.record().blobId, 1L, Long::sum);
            }
            long modSeq = r.nextModSeq();
            ix.vanished.put(new Key(r.id, modSeq), x.uid());
            ExpungeHistory.markTime(ix, r.id, modSeq, tx.now.toEpochMilli());
            clear(sets, x.uid());
            removed.add(x.uid());
            gone[i] = x.uid();
        }
        removedAny |= gone.length > 0;
        for (Key k : staleChanges) {
            ix.changes.remove(k);
        }
        for (Key k : presentVanished) {
            ix.vanished.remove(k);
        }
        for (int i = 0; i < unlogged.size(); i++) {
            long uid = unlogged.get(i);
            if (removed.contains(uid)) {
                continue;
            }
            MessageRecord m = tx.message(r.id, uid);
            Key logged = new Key(r.id, m.modSeq);
            Long at = ix.changes.get(logged);
            if (at == null) {
                ix.changes.put(logged, uid);
            } else if (at != uid) {
                // Two messages share a MODSEQ: this one gets a new one (clients see a change).
                m.modSeq = r.nextModSeq();
                ix.messages.put(new Key(r.id, uid), m.encode());
                ix.changes.put(new Key(r.id, m.modSeq), uid);
            }
        }
        r.messages = keptCount;
        r.unseen = keptUnseen;
        r.deleted = keptDeleted;
        r.size = keptSize;
        r.dirty = true;
        // Rebuilt with the counters, exactly: keywords only expunged messages had leave it.
        r.setKeywords(inUse);
        tx.replaceUidSets(r.id, sets);
        if (gone.length > 0) {
            tx.event(StoreEvents.MESSAGES_EXPUNGED, address, r, gone, null);
        }
    }

    /**
     * The keywords the messages have that a known keyword list of the mailbox lacks. An unknown
     * list (an old record) or one given up for too many keywords is read from the messages, and
     * a list naming more than the messages have is allowed: neither is a problem.
     */
    private List<String> unlistedKeywords(MailboxRecord r, long[] inUse) {
        List<String> missing = new ArrayList<>();
        if (r.keywords() != MailboxRecord.Keywords.KNOWN) {
            return missing;
        }
        for (long k : inUse) {
            if (Arrays.binarySearch(r.keywordIds(), k) < 0) {
                String name = src.keyword(k);
                missing.add(name != null ? name : "#" + k);
            }
        }
        return missing;
    }

    /**
     * A record still naming the place its content had before compaction moved it (a copy made
     * while the move was under way: its segment is retired, its blob in a later one) is read at
     * its blob's place, where readers find it too; a
     * repair writes that place into the record.
     */
    private MessageRecord followMove(String box, long mailboxId, long uid, MessageRecord m) {
        byte[] b = src.blob(m.blobId);
        if (b == null) {
            return m;
        }
        Blob blob = Blob.decode(b);
        // Compaction copies into a later segment and retires the old one; anything else is damage.
        if (blob.length() != m.size || blob.segment() <= m.segment || src.segment(m.segment) != null) {
            return m;
        }
        MessageRecord moved = m.at(blob.segment(), blob.offset());
        if (unreadable(m) == null || unreadable(moved) != null) {
            return m;
        }
        if (problem(box + "UID " + uid + " names " + fileName(m.segment) + ", which no longer holds its content; "
                + "its content record M" + m.blobId + " has it in " + fileName(blob.segment()), "place updated")) {
            tx.ix.messages.put(new Key(mailboxId, uid), moved.encode());
        }
        return moved;
    }

    /** Why a message's content cannot be read, or {@code null} if it can. */
    private String unreadable(MessageRecord m) {
        long end = m.offset + m.size;
        if (end < m.offset) {
            return "its place (" + m.size + " bytes at " + m.offset + ") is out of range";
        }
        Object file = files.computeIfAbsent(m.segment, this::fileSize);
        if (file instanceof String why) {
            return why;
        }
        long length = (Long) file;
        if (end > length) {
            return fileName(m.segment) + " holds " + length + " bytes, the message ends at byte " + end;
        }
        return null;
    }

    private Object fileSize(long segment) {
        Path path = segmentPaths.apply(segment);
        try {
            if (!Files.isReadable(path) && Files.exists(path)) {
                return "its segment file " + path.getFileName() + " cannot be read";
            }
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return "its segment file " + path.getFileName() + " is missing";
        } catch (IOException e) {
            return "its segment file " + path.getFileName() + " cannot be read: " + e.getMessage();
        }
    }

    private static long modSeqOf(byte[] message) {
        if (message == null) {
            return -1;
        }
        try {
            return MessageRecord.decode(message).modSeq;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void set(Map<Long, byte[]> sets, long uid) {
        sets.computeIfAbsent(uid >>> UidSets.SHIFT, k -> new byte[UidSets.BYTES])[UidSets.byteOf(uid)] |=
                UidSets.bitOf(uid);
    }

    private static void clear(Map<Long, byte[]> sets, long uid) {
        byte[] set = sets.get(uid >>> UidSets.SHIFT);
        if (set != null) {
            set[UidSets.byteOf(uid)] &= (byte) ~UidSets.bitOf(uid);
            if (UidSets.isEmpty(set)) {
                sets.remove(uid >>> UidSets.SHIFT);
            }
        }
    }

    /** Whether the stored UID bitmaps differ from those the messages make. */
    private static boolean differ(Map<Long, byte[]> expected, Cursor<Key, byte[]> stored) {
        int matched = 0;
        while (stored.hasNext()) {
            long chunk = stored.next().lo();
            byte[] want = expected.get(chunk);
            if (want == null) {
                if (!UidSets.isEmpty(stored.getValue())) {
                    return true;
                }
            } else if (!Arrays.equals(want, stored.getValue())) {
                return true;
            } else {
                matched++;
            }
        }
        return matched != expected.size();
    }

    // ---- the user's segments, content records and usage

    /**
     * Segments holding readable messages must be recorded, with a committed length covering them
     * and not beyond the file. A length raised is raised to the whole file, so that the next
     * start cuts no byte another user's messages may need.
     */
    private void checkSegments() {
        for (Map.Entry<Long, Long> e : segmentEnds.entrySet()) {
            long id = e.getKey();
            long end = e.getValue();
            long length = (Long) files.get(id);
            byte[] b = src.segment(id);
            if (b == null) {
                if (problem(fileName(id) + " holds messages but is not recorded in the index, so the next start "
                        + "would delete it", "recorded again")) {
                    recordSegment(id, length);
                }
                continue;
            }
            Segment s = Segment.decode(b);
            if (end > s.committedLength()) {
                if (problem(fileName(id) + ": messages reach byte " + end + " but only " + s.committedLength()
                        + " bytes are recorded as written, so the next start would cut them off",
                        "recorded length raised to " + length)) {
                    force(id);
                    tx.ix.segments.put(id, new Segment(length, s.liveBytes(), s.liveBlobs()).encode());
                }
            } else if (length < s.committedLength()) {
                if (problem(fileName(id) + " holds " + length + " bytes but " + s.committedLength()
                        + " are recorded as written: its end was lost", "recorded length lowered to " + length)) {
                    tx.ix.segments.put(id, new Segment(length, s.liveBytes(), s.liveBlobs()).encode());
                }
            }
        }
    }

    private void recordSegment(long id, long length) {
        force(id);
        long bytes = 0;
        long blobs = 0;
        Cursor<Long, byte[]> c = src.blobs();
        while (c.hasNext()) {
            c.next();
            Blob blob = Blob.decode(c.getValue());
            if (blob.segment() == id) {
                bytes += blob.length();
                blobs++;
            }
        }
        tx.ix.segments.put(id, new Segment(length, bytes, blobs).encode());
        if (id > tx.ix.meta.getOrDefault(Index.LAST_SEGMENT, 0L)) {
            tx.ix.meta.put(Index.LAST_SEGMENT, id);
        }
    }

    /** Makes a segment's bytes durable before the index vouches for them. */
    private void force(long id) {
        try (FileChannel ch = FileChannel.open(segmentPaths.apply(id), StandardOpenOption.WRITE)) {
            ch.force(false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot force " + fileName(id) + ": " + e.getMessage(), e);
        }
    }

    /** Each content record: present, and counting exactly the messages that refer to it. */
    private void checkBlobs() {
        long[] ids = blobRefs.sorted();
        Set<Long> suspects = new HashSet<>(removedRefs.keySet());
        for (int i = 0; i < ids.length;) {
            int j = i;
            while (j < ids.length && ids[j] == ids[i]) {
                j++;
            }
            byte[] b = src.blob(ids[i]);
            if (b == null || Blob.decode(b).refs() != j - i) {
                suspects.add(ids[i]);
            }
            i = j;
        }
        if (suspects.isEmpty()) {
            return;
        }
        // Counted over the whole store: another user may share the content.
        Map<Long, long[]> refs = new HashMap<>();
        Cursor<Key, byte[]> c = src.allMessages();
        while (c.hasNext()) {
            c.next();
            long blobId;
            try {
                blobId = MessageRecord.decode(c.getValue()).blobId;
            } catch (RuntimeException e) {
                continue;
            }
            if (suspects.contains(blobId)) {
                refs.computeIfAbsent(blobId, k -> new long[1])[0]++;
            }
        }
        for (long id : new TreeSet<>(suspects)) {
            long actual = refs.getOrDefault(id, new long[1])[0];
            byte[] b = src.blob(id);
            if (b == null) {
                MessageRecord sample = missingBlobs.get(id);
                if (actual > 0 && problem("the content record M" + id + " is missing, though in use by "
                        + some(actual, "message") + ", so its segment could be deleted under them",
                        sample == null ? null : "recorded again")) {
                    tx.restoreBlob(id, sample.segment, sample.offset, sample.size, actual);
                }
                continue;
            }
            long counted = Blob.decode(b).refs();
            long removedHere = removedRefs.getOrDefault(id, 0L);
            if (removedHere > 0 && counted == actual + removedHere) {
                // Right before this repair removed messages: follows the removal.
                tx.setRefs(id, actual);
            } else if (counted != actual) {
                if (problem("the content M" + id + " counts " + some(counted, "reference") + " but is in use by "
                        + some(actual, "message"), actual > 0 ? "count set to " + actual
                                : "content freed")) {
                    tx.setRefs(id, actual);
                }
            }
        }
    }

    private void checkUsage() {
        Usage use = src.usage(user.id());
        boolean wrong = use.bytes() != allBytes || use.messages() != allMessages;
        if (wrong) {
            problem("quota usage says " + some(use.messages(), "message") + " of " + use.bytes() + " bytes, the "
                    + "mailboxes hold " + some(allMessages, "message") + " of " + allBytes + " bytes",
                    "usage recomputed");
        }
        if (tx != null && (wrong || removedAny)) {
            tx.setUsage(user.id(), new Usage(keptBytes, keptMessages));
        }
    }

    // ---- reporting

    /**
     * Notes a problem; when repairing and {@code repair} says how, the line says so too.
     *
     * @return whether the caller is to repair it
     */
    private boolean problem(String what, String repair) {
        boolean fix = tx != null && repair != null;
        String line = tx == null ? what : what + (fix ? " (" + repair + ")" : " (left as it is)");
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(line);
        } else {
            unlisted++;
        }
        repaired |= fix;
        return fix;
    }

    private static String counters(long messages, long unseen, long deleted, long size) {
        return some(messages, "message") + " (" + unseen + " unseen, " + deleted + " deleted, " + size + " bytes)";
    }

    /** "1 message", "2 messages"; "1 entry", "2 entries". */
    static String some(long n, String noun) {
        if (n == 1) {
            return "1 " + noun;
        }
        return n + " " + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
    }

    private static String fileName(long segment) {
        return "segment file seg-" + segment + ".dat";
    }

    /** Up to ten UIDs, then how many more. */
    private static String summary(LongList uids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(10, uids.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(uids.get(i));
        }
        if (uids.size() > 10) {
            sb.append(" and ").append(uids.size() - 10).append(" more");
        }
        return sb.toString();
    }
}
