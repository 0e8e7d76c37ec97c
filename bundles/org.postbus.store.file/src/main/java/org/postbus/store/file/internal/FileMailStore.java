package org.postbus.store.file.internal;

import java.io.IOException;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flags;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.Quota;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException;
import org.postbus.store.file.internal.SmallRecords.Blob;
import org.postbus.store.file.internal.SmallRecords.Segment;
import org.postbus.store.file.internal.SmallRecords.Usage;
import org.postbus.store.file.internal.SmallRecords.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded mail store: message bytes in append-only segment files under {@code blobs/},
 * metadata in one H2 MVStore index under {@code index/}, durable writes by group commit
 * ({@link Committer}), reads from the last durable {@link View}.
 *
 * <p>Delivery and quota: {@link #deliver} files the message for every recipient whose quota
 * has room and leaves out of its answer those whose quota is exceeded (so local delivery can
 * refuse just them); only when no recipient has room does it throw {@code OVER_QUOTA}. A message
 * is stored once however many recipients, copies and moves refer to it.
 *
 * <p>Import ({@link #importMailbox}) writes every message's bytes to segments first, streaming
 * them one at a time, then enters them all in one committer change: a crash leaves either the
 * whole mailbox or nothing. Bad arguments (UIDVALIDITY or UIDNEXT out of range, UIDs not
 * ascending or not below UIDNEXT) are an {@link IllegalArgumentException}.
 *
 * <p>Check ({@link #check}) reads a consistent view without holding up writers; a repair runs the
 * check again inside one committer change and fixes what it finds there (see {@link StoreCheck}).
 */
public final class FileMailStore implements MailStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileMailStore.class);

    /**
     * Tuning of a store.
     *
     * @param readChannels segment files kept open for reading beyond those being read
     * @param expungeHistory how much of each mailbox's expunge history to keep
     */
    record Settings(long segmentSize, int cacheMiB, int readChannels, Compactor.Policy compaction,
            ExpungeHistory.Policy expungeHistory) {
        static final int READ_CHANNELS = 256;
        static final Settings DEFAULT = new Settings(64L << 20, 32, READ_CHANNELS);

        Settings {
            Objects.requireNonNull(compaction, "compaction");
            Objects.requireNonNull(expungeHistory, "expungeHistory");
        }

        Settings(long segmentSize, int cacheMiB, int readChannels, Compactor.Policy compaction) {
            this(segmentSize, cacheMiB, readChannels, compaction, ExpungeHistory.Policy.DEFAULT);
        }

        Settings(long segmentSize, int cacheMiB, int readChannels) {
            this(segmentSize, cacheMiB, readChannels, Compactor.Policy.DEFAULT);
        }

        Settings(long segmentSize, int cacheMiB) {
            this(segmentSize, cacheMiB, READ_CHANNELS);
        }
    }

    private final Path root;
    private final Index index;
    private final Segments segments;
    private final Committer committer;
    private final Compactor compactor;
    private final ExpungeHistory expungeHistory;
    private final Function<MailAddress, Long> quota;
    private final Map<Long, String> keywordCache = new ConcurrentHashMap<>();
    private final Object closeLock = new Object();
    private final Set<View> liveViews = ConcurrentHashMap.newKeySet();
    private final ReferenceQueue<Object> abandoned = new ReferenceQueue<>();
    private final Set<StreamHold> streams = ConcurrentHashMap.newKeySet();
    private volatile View current;
    private boolean closed;

    /**
     * Opens the store kept under {@code root}, creating it if needed, and recovers it after a
     * crash.
     *
     * @param quota the quota of a user in bytes, negative or {@code null} for none
     * @param events receives each change (a topic of {@code StoreEvents} and its properties)
     *     once it is durable
     * @throws StoreException {@code UNAVAILABLE} if it cannot be opened, saying why
     */
    public FileMailStore(Path root, Function<MailAddress, Long> quota, BiConsumer<String, Map<String, Object>> events)
            throws StoreException {
        this(root, Settings.DEFAULT, quota, events, Clock.systemUTC());
    }

    FileMailStore(Path root, Settings settings, Function<MailAddress, Long> quota,
            BiConsumer<String, Map<String, Object>> events, Clock clock) throws StoreException {
        this.root = root;
        this.quota = Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(events, "events");
        Path indexDir = root.resolve("index");
        Path blobDir = root.resolve("blobs");
        try {
            Files.createDirectories(indexDir);
            Files.createDirectories(blobDir);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE,
                    "cannot create the mail store folder " + root + ": " + e, e);
        }
        this.index = openIndex(indexDir.resolve("store.mv.db"), settings.cacheMiB());
        try {
            checkFormat();
            this.segments = Segments.open(blobDir, settings.segmentSize(), liveSegments(), index.meta
                    .getOrDefault(Index.LAST_SEGMENT, 0L), index.meta.getOrDefault(Index.COLD_SEGMENT, 0L),
                    settings.readChannels());
            Segments.syncDirectory(indexDir);
            Segments.syncDirectory(blobDir);
            Segments.syncDirectory(root);
        } catch (IOException | RuntimeException e) {
            index.store.closeImmediately();
            throw new StoreException(StoreException.Reason.UNAVAILABLE,
                    "cannot open the mail store in " + root + ": " + e.getMessage(), e);
        }
        this.current = new View(index, liveViews);
        this.committer = new Committer(index, segments, clock, this::publish, this::housekeeping, events);
        this.expungeHistory = new ExpungeHistory(committer, settings.expungeHistory());
        committer.start();
        this.compactor = new Compactor(this, segments, committer, settings.compaction());
        compactor.start();
        LOG.info("mail store open in {}: {} users, {} mailboxes, {} messages", root, index.users.size(),
                index.mailboxes.size(), index.messages.sizeAsLong());
    }

    private static Index openIndex(Path file, int cacheMiB) throws StoreException {
        try {
            return Index.open(file, cacheMiB);
        } catch (MVStoreException e) {
            String why = e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED
                    ? "it is in use by another process" : e.getMessage();
            throw new StoreException(StoreException.Reason.UNAVAILABLE,
                    "cannot open the mail index " + file + ": " + why, e);
        } catch (RuntimeException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE,
                    "cannot open the mail index " + file + ": " + e, e);
        }
    }

    private void checkFormat() throws IOException {
        Long format = index.meta.get(Index.FORMAT_KEY);
        if (format == null) {
            index.meta.put(Index.FORMAT_KEY, Index.FORMAT);
        } else if (format != Index.FORMAT) {
            throw new IOException("its index has layout " + format + ", this version knows layout " + Index.FORMAT);
        }
    }

    /**
     * The committed length of each segment that still holds a live message; forgets the others,
     * whose files are then deleted as unknown.
     */
    private Map<Long, Long> liveSegments() {
        Map<Long, Long> live = new HashMap<>();
        List<Long> dead = new ArrayList<>();
        Cursor<Long, byte[]> c = index.segments.cursor(null);
        while (c.hasNext()) {
            Long id = c.next();
            Segment s = Segment.decode(c.getValue());
            if (s.liveBlobs() > 0) {
                live.put(id, s.committedLength());
            } else {
                dead.add(id);
            }
        }
        dead.forEach(index.segments::remove);
        if (index.store.hasUnsavedChanges()) {
            index.store.commit();
            index.store.sync();
        }
        return live;
    }

    /** Publishes the index as just committed; on the committer thread. */
    private void publish() {
        View next = new View(index, liveViews);
        View old = current;
        current = next;
        if (old != null) {
            old.release();
        }
    }

    /** Closes cleanly: queued changes are applied, then the index and files are closed. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        compactor.close();
        committer.stop();
        View v = current;
        current = null;
        if (v != null) {
            v.release();
        }
        // Streams still open read no further: their versions must not keep the index from closing.
        List.copyOf(liveViews).forEach(View::retire);
        streams.clear();
        try {
            index.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the mail index: {}", e.toString());
        }
        segments.close();
        LOG.info("mail store in {} closed", root);
    }

    /**
     * Drops the store as a crash would: the batch in hand is not committed, nothing is flushed,
     * files are closed without forcing. For tests.
     */
    void crashForTests() {
        synchronized (closeLock) {
            closed = true;
        }
        compactor.close();
        committer.halt();
        current = null;
        index.store.closeImmediately();
        segments.close();
    }

    /** Compacts the segments the policy picks now, on the calling thread: for tests. */
    Compactor.Result compactSegments() {
        return compactor.runOnce();
    }

    /** Trims every mailbox's expunge history to the limits now, waiting for it: for tests. */
    void trimExpungeHistory() throws StoreException {
        expungeHistory.sweep();
    }

    /** The expunge history trimmer: for tests. */
    ExpungeHistory expungeHistory() {
        return expungeHistory;
    }

    /** The compactor: for tests. */
    Compactor compactor() {
        return compactor;
    }

    /** Forces and syncs done so far: for tests of group commit. */
    long syncCount() {
        return committer.syncCount();
    }

    /** Batches committed so far. */
    long batchCount() {
        return committer.batchCount();
    }

    /** Why the store cannot work, or {@code null} when it can. */
    String failure() {
        synchronized (closeLock) {
            if (closed) {
                return "closed";
            }
        }
        return committer.broken();
    }

    Path root() {
        return root;
    }

    /** The live index: for tests. */
    Index index() {
        return index;
    }

    // ---- reading

    /** A lazy stream's hold on its view, released when the stream is closed, read to its end, or lost. */
    final class StreamHold extends PhantomReference<Object> implements Runnable {
        private final View view;
        private final AtomicBoolean released = new AtomicBoolean();

        StreamHold(Object stream, View view) {
            super(stream, abandoned);
            this.view = view;
            streams.add(this);
        }

        @Override
        public void run() {
            if (released.compareAndSet(false, true)) {
                streams.remove(this);
                clear();
                view.release();
            }
        }

        boolean released() {
            return released.get();
        }
    }

    /** The committer's work between batches. */
    private void housekeeping() {
        reapAbandonedStreams();
        expungeHistory.housekeeping();
    }

    /**
     * Releases the views of streams dropped without being closed or read to their end, so that
     * they do not keep old index versions alive forever. Runs on the committer thread.
     */
    private void reapAbandonedStreams() {
        segments.readChannels().reap();
        for (Reference<?> r; (r = abandoned.poll()) != null;) {
            StreamHold hold = (StreamHold) r;
            if (!hold.released()) {
                LOG.debug("a message stream was dropped without being closed; releasing its view");
                hold.run();
            }
        }
    }

    @FunctionalInterface
    interface Read<T> {
        T apply(View view) throws StoreException;
    }

    /** Runs a read on the current view. */
    <T> T read(Read<T> read) throws StoreException {
        View v = acquire();
        try {
            return read.apply(v);
        } catch (RuntimeException e) {
            throw unavailable(e);
        } finally {
            v.release();
        }
    }

    /** Holds the current view; the caller releases it. */
    View acquire() throws StoreException {
        while (true) {
            View v = current;
            if (v == null) {
                throw Committer.unavailable("the mail store is stopped");
            }
            if (v.acquire()) {
                return v;
            }
        }
    }

    static StoreException unavailable(RuntimeException e) {
        LOG.debug("mail store read failed", e);
        return new StoreException(StoreException.Reason.UNAVAILABLE, "the mail store cannot be read: " + e.getMessage(),
                e);
    }

    Committer committer() {
        return committer;
    }

    Path segmentPath(long segment) {
        return segments.path(segment);
    }

    /** A message's bytes, read from its segment when opened. */
    MessageContent content(MessageRecord m) {
        return segments.content(this::locate, m.blobId, m.segment, m.offset, m.size);
    }

    /** Where a blob's bytes are now, for content whose segment went after compaction moved them. */
    private SegmentContent.Place locate(long blobId) throws IOException {
        try {
            return read(v -> {
                byte[] b = v.blob(blobId);
                if (b == null) {
                    return null;
                }
                Blob blob = Blob.decode(b);
                return segments.place(blob.segment(), blob.offset());
            });
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    Segments segments() {
        return segments;
    }

    /** The read channels of message streams: for tests. */
    ReadChannels readChannels() {
        return segments.readChannels();
    }

    /** The flags of a message record as a reader sees them. */
    Flags flags(View v, MessageRecord m) {
        if (m.keywords.length == 0) {
            return new Flags(MessageRecord.flags(m.flags), Set.of());
        }
        List<String> names = new ArrayList<>(m.keywords.length);
        for (long id : m.keywords) {
            String name = keyword(v, id);
            if (name != null) {
                names.add(name);
            }
        }
        return new Flags(MessageRecord.flags(m.flags), Set.copyOf(names));
    }

    /** The keywords of these ids, sorted ignoring case, as {@link Mailbox#keywords()} gives them. */
    SortedSet<String> keywords(View v, long[] ids) {
        SortedSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (long id : ids) {
            String name = keyword(v, id);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** A keyword by id; the dictionary never changes a name, so names are cached for good. */
    private String keyword(View v, long id) {
        String name = keywordCache.get(id);
        if (name == null) {
            name = v.keyword(id);
            if (name != null) {
                keywordCache.put(id, name);
            }
        }
        return name;
    }

    /** A user's quota in bytes, or -1. */
    long limit(MailAddress user) {
        try {
            Long limit = quota.apply(user);
            return limit == null || limit < 0 ? -1 : limit;
        } catch (RuntimeException e) {
            LOG.warn("cannot look up the quota of {}: {}; applying none", user, e.toString());
            return -1;
        }
    }

    static User knownUser(View v, MailAddress user) {
        byte[] b = v.user(Index.userKey(user));
        return b == null ? null : User.decode(b);
    }

    /** The user, created with their default mailboxes on first use. */
    User user(MailAddress user) throws StoreException {
        Objects.requireNonNull(user, "user");
        User u = read(v -> knownUser(v, user));
        return u != null ? u : committer.run(tx -> tx.ensureUser(user));
    }

    /** Stores a message's bytes in a segment (not yet durable). */
    Segments.Written write(MessageContent content) throws StoreException {
        String broken = failure();
        if (broken != null) {
            throw Committer.unavailable("the mail store cannot write: " + broken);
        }
        try {
            return segments.store(content);
        } catch (ClosedChannelException e) {
            throw Committer.unavailable("the mail store is stopped");
        } catch (IOException e) {
            LOG.warn("cannot store a message: {}", e.toString());
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot store the message: " + e.getMessage(),
                    e);
        }
    }

    // ---- MailStore

    @Override
    public List<MailboxInfo> mailboxes(MailAddress user) throws StoreException {
        User u = user(user);
        return read(v -> {
            List<MailboxInfo> list = new ArrayList<>();
            String prefix = Index.prefix(u.id());
            Cursor<String, Long> c = v.names(prefix, Index.prefixEnd(prefix));
            while (c.hasNext()) {
                c.next();
                long id = c.getValue();
                byte[] b = v.mailbox(id);
                if (b != null) {
                    MailboxRecord r = MailboxRecord.decode(id, b);
                    list.add(new MailboxInfo(r.name, r.objectId(), r.uidValidity, r.specialUses(),
                            v.subscribed(prefix + r.name)));
                }
            }
            return list;
        });
    }

    @Override
    public MailboxInfo create(MailAddress user, String name, Set<SpecialUse> specialUse) throws StoreException {
        String n = MailboxNames.canonical(name);
        int mask = MailboxRecord.mask(specialUse == null ? Set.of() : specialUse);
        user(user);
        return committer.run(tx -> {
            User u = tx.ensureUser(user);
            if (tx.boxByName(u, n) != null) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "mailbox " + n + " already exists");
            }
            tx.createParents(u, user, n);
            return tx.info(tx.createBox(u, user, n, mask));
        });
    }

    @Override
    public void rename(MailAddress user, String from, String to) throws StoreException {
        String f = MailboxNames.canonical(from);
        String t = MailboxNames.canonical(to);
        user(user);
        committer.run(tx -> {
            User u = tx.ensureUser(user);
            MailboxRecord src = tx.boxByName(u, f);
            if (src == null) {
                throw new StoreException(StoreException.Reason.NONEXISTENT, "mailbox " + f + " does not exist");
            }
            if (MailboxNames.isBelow(t, f)) {
                throw new StoreException(StoreException.Reason.NOT_ALLOWED,
                        "mailbox " + f + " cannot be moved below itself");
            }
            if (t.equals(f) || tx.boxByName(u, t) != null) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "mailbox " + t + " already exists");
            }
            if (MailboxNames.isInbox(f)) {
                renameInbox(tx, u, user, src, t);
            } else {
                renameTree(tx, u, user, src, t);
            }
            return null;
        });
    }

    /** Renames a mailbox with its children, keeping their ids, UIDVALIDITY and messages. */
    private static void renameTree(Tx tx, User u, MailAddress user, MailboxRecord src, String to)
            throws StoreException {
        String from = src.name;
        List<MailboxRecord> moving = new ArrayList<>();
        moving.add(src);
        for (MailboxRecord r : tx.boxes(u)) {
            if (MailboxNames.isBelow(r.name, from)) {
                moving.add(r);
            }
        }
        List<String> newNames = new ArrayList<>();
        for (MailboxRecord r : moving) {
            String newName = MailboxNames.canonical(to + r.name.substring(from.length()));
            MailboxRecord there = tx.boxByName(u, newName);
            if (there != null && !moving.contains(there)) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "mailbox " + newName + " already exists");
            }
            newNames.add(newName);
        }
        List<String> oldNames = new ArrayList<>();
        List<Boolean> subscribed = new ArrayList<>();
        for (MailboxRecord r : moving) {
            oldNames.add(r.name);
            subscribed.add(tx.subscribed(u.id(), r.name));
            tx.subscribe(u, r.name, false);
        }
        // Old names first out, then new names in: a child may take its parent's old name.
        for (MailboxRecord r : moving) {
            tx.ix.names.remove(Index.prefix(u.id()) + r.name);
        }
        for (int i = 0; i < moving.size(); i++) {
            MailboxRecord r = moving.get(i);
            r.name = newNames.get(i);
            r.dirty = true;
            tx.ix.names.put(Index.prefix(u.id()) + r.name, r.id);
            if (subscribed.get(i)) {
                tx.subscribe(u, r.name, true);
            }
        }
        tx.createParents(u, user, to);
        for (int i = 0; i < moving.size(); i++) {
            tx.event(StoreEvents.MAILBOX_RENAMED, user, moving.get(i), null, oldNames.get(i));
        }
    }

    /**
     * Renaming INBOX (RFC 9051 section 6.3.6): a new mailbox receives INBOX's messages, INBOX
     * stays, empty, and its children stay where they are.
     */
    private static void renameInbox(Tx tx, User u, MailAddress user, MailboxRecord inbox, String to) {
        tx.createParents(u, user, to);
        MailboxRecord target = tx.createBox(u, user, to, 0);
        LongList moved = new LongList();
        LongList added = new LongList();
        Cursor<Key, byte[]> c = tx.ix.messages.cursor(Key.first(inbox.id), Key.last(inbox.id), false);
        while (c.hasNext()) {
            long uid = c.next().lo();
            MessageRecord m = MessageRecord.decode(c.getValue());
            added.add(tx.addMessage(target, m.copy(0, m.saveDate)));
            tx.removeMessage(inbox, uid, m, true);
            moved.add(uid);
        }
        if (!moved.isEmpty()) {
            tx.event(StoreEvents.MESSAGES_ADDED, user, target, added.toArray(), null);
            tx.event(StoreEvents.MESSAGES_EXPUNGED, user, inbox, moved.toArray(), null);
        }
    }

    @Override
    public void delete(MailAddress user, String name) throws StoreException {
        String n = MailboxNames.canonical(name);
        if (MailboxNames.isInbox(n)) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "INBOX cannot be deleted");
        }
        Objects.requireNonNull(user, "user");
        committer.run(tx -> {
            User u = tx.user(user);
            MailboxRecord box = u == null ? null : tx.boxByName(u, n);
            if (box == null) {
                throw new StoreException(StoreException.Reason.NONEXISTENT, "mailbox " + n + " does not exist");
            }
            tx.event(StoreEvents.MAILBOX_DELETED, user, box, null, null);
            tx.deleteBox(box);
            return null;
        });
    }

    @Override
    public void subscribe(MailAddress user, String name, boolean subscribed) throws StoreException {
        String n = MailboxNames.canonical(name);
        User u = user(user);
        if (read(v -> v.subscribed(Index.prefix(u.id()) + n)) == subscribed) {
            return;
        }
        committer.run(tx -> {
            tx.subscribe(tx.ensureUser(user), n, subscribed);
            return null;
        });
    }

    @Override
    public Mailbox open(MailAddress user, String name) throws StoreException {
        String n = MailboxNames.canonical(name);
        User u = user(user);
        record Found(long id, MailboxInfo info) {
        }
        Found found = read(v -> {
            String prefix = Index.prefix(u.id());
            Long id = v.mailboxId(prefix + n);
            if (id == null) {
                return null;
            }
            MailboxRecord r = MailboxRecord.decode(id, v.mailbox(id));
            return new Found(id, new MailboxInfo(r.name, r.objectId(), r.uidValidity, r.specialUses(),
                    v.subscribed(prefix + n)));
        });
        if (found == null) {
            throw new StoreException(StoreException.Reason.NONEXISTENT, "mailbox " + n + " does not exist");
        }
        return new FileMailbox(this, user, u.id(), found.id(), found.info());
    }

    @Override
    public Map<MailAddress, Long> deliver(Map<MailAddress, String> targets, AppendRequest message)
            throws StoreException {
        Objects.requireNonNull(message, "message");
        if (targets.isEmpty()) {
            return Map.of();
        }
        Map<MailAddress, Long> limits = new LinkedHashMap<>();
        Map<MailAddress, User> users = new LinkedHashMap<>();
        for (MailAddress a : targets.keySet()) {
            limits.put(a, limit(a));
            users.put(a, user(a));
        }
        long size = message.content().size();
        boolean anyRoom = read(v -> {
            for (Map.Entry<MailAddress, User> e : users.entrySet()) {
                long limit = limits.get(e.getKey());
                if (limit < 0 || Usage.decode(v.usage(e.getValue().id())).bytes() + size <= limit) {
                    return true;
                }
            }
            return false;
        });
        if (!anyRoom) {
            throw new StoreException(StoreException.Reason.OVER_QUOTA,
                    "the quota of every recipient is exceeded (" + String.join(", ",
                            targets.keySet().stream().map(MailAddress::toString).toList()) + ")");
        }
        Segments.Written w = write(message.content());
        return committer.run(tx -> deliver(tx, targets, limits, message, w), List.of(w.reservation()));
    }

    private static Map<MailAddress, Long> deliver(Tx tx, Map<MailAddress, String> targets,
            Map<MailAddress, Long> limits, AppendRequest message, Segments.Written w) throws StoreException {
        record Plan(MailAddress address, User user, MailboxRecord box) {
        }
        long size = w.reservation().length();
        List<Plan> plans = new ArrayList<>();
        StoreException refused = null;
        for (Map.Entry<MailAddress, String> e : targets.entrySet()) {
            User u = tx.ensureUser(e.getKey());
            MailboxRecord box = null;
            if (e.getValue() != null) {
                try {
                    box = tx.boxByName(u, MailboxNames.canonical(e.getValue()));
                } catch (StoreException invalid) {
                    // An unusable folder name files into INBOX, like a missing one.
                }
            }
            if (box == null) {
                box = tx.boxByName(u, INBOX);
            }
            if (!tx.fitsQuota(u, limits.get(e.getKey()), size)) {
                refused = Tx.overQuota(u.address(), limits.get(e.getKey()), tx.usage(u.id()).bytes(), size);
                continue;
            }
            try {
                Tx.checkUids(box, 1);
            } catch (StoreException full) {
                refused = full;
                continue;
            }
            plans.add(new Plan(e.getKey(), u, box));
        }
        if (plans.isEmpty()) {
            throw refused;
        }
        long blob = tx.createBlob(w.reservation(), plans.size());
        Flags flags = message.flags();
        int mask = MessageRecord.mask(flags.system());
        long[] keywords = tx.keywordIds(flags.keywords(), true);
        Map<MailAddress, Long> uids = new LinkedHashMap<>();
        for (Plan p : plans) {
            MessageRecord m = new MessageRecord(0, mask, keywords, message.internalDate(), tx.now, size, blob,
                    w.reservation().file().id, w.reservation().offset(), tx.thread(p.user(), w.ids()));
            long uid = tx.addMessage(p.box(), m);
            tx.event(StoreEvents.MESSAGES_ADDED, p.address(), p.box(), new long[] {uid}, null);
            uids.put(p.address(), uid);
        }
        return uids;
    }

    @Override
    public Quota quota(MailAddress user) throws StoreException {
        Objects.requireNonNull(user, "user");
        long limit = limit(user);
        return read(v -> {
            User u = knownUser(v, user);
            Usage use = u == null ? Usage.NONE : Usage.decode(v.usage(u.id()));
            return new Quota(use.bytes(), limit, use.messages());
        });
    }

    @Override
    public List<String> subscriptions(MailAddress user) throws StoreException {
        User u = user(user);
        return read(v -> {
            String prefix = Index.prefix(u.id());
            List<String> names = new ArrayList<>();
            Cursor<String, Long> c = v.subscriptions(prefix, Index.prefixEnd(prefix));
            while (c.hasNext()) {
                names.add(c.next().substring(prefix.length()));
            }
            return names;
        });
    }

    @Override
    public List<MailAddress> users() throws StoreException {
        List<MailAddress> users = read(v -> {
            List<MailAddress> list = new ArrayList<>();
            Cursor<String, byte[]> c = v.users();
            while (c.hasNext()) {
                c.next();
                list.add(MailAddress.parse(User.decode(c.getValue()).address()));
            }
            return list;
        });
        users.sort(Comparator.comparing(MailAddress::toString));
        return users;
    }

    @Override
    public MailboxInfo importMailbox(MailAddress user, String name, long uidValidity, long uidNext,
            List<ImportedMessage> messages) throws StoreException {
        Objects.requireNonNull(user, "user");
        String n = MailboxNames.canonical(name);
        long bytes = checkImport(uidValidity, uidNext, messages);
        long limit = limit(user);
        User u = user(user);
        // Refused before any byte is written, when it can be told already.
        read(v -> {
            Long id = v.mailboxId(Index.prefix(u.id()) + n);
            if (id != null) {
                checkNeverHeld(MailboxRecord.decode(id, v.mailbox(id)));
            }
            long used = Usage.decode(v.usage(u.id())).bytes();
            if (limit >= 0 && bytes > 0 && used + bytes > limit) {
                throw Tx.overQuota(user.toString(), limit, used, bytes);
            }
            return null;
        });
        List<Segments.Written> written = new ArrayList<>(messages.size());
        try {
            for (ImportedMessage m : messages) {
                written.add(write(m.message().content()));
            }
        } catch (StoreException | RuntimeException e) {
            written.forEach(w -> segments.release(w.reservation()));
            throw e;
        }
        List<Segments.Reservation> reservations = written.stream().map(Segments.Written::reservation).toList();
        MailboxInfo info = committer.run(tx -> importInto(tx, user, n, uidValidity, uidNext, messages, written, limit,
                bytes), reservations);
        LOG.info("imported {} messages into mailbox {} of {} (UIDVALIDITY {}, UIDNEXT {})", messages.size(), n, user,
                uidValidity, uidNext);
        return info;
    }

    /**
     * Checks an import's arguments.
     *
     * @return the bytes it stores
     * @throws IllegalArgumentException saying which argument is wrong
     */
    static long checkImport(long uidValidity, long uidNext, List<ImportedMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        if (uidValidity < 1 || uidValidity > Tx.MAX_UID) {
            throw new IllegalArgumentException("UIDVALIDITY must lie in 1 to " + Tx.MAX_UID + ": " + uidValidity);
        }
        if (uidNext < 1 || uidNext > Tx.MAX_UID + 1) {
            throw new IllegalArgumentException("UIDNEXT must lie in 1 to " + (Tx.MAX_UID + 1) + ": " + uidNext);
        }
        long previous = 0;
        long bytes = 0;
        for (ImportedMessage m : messages) {
            Objects.requireNonNull(m, "imported message");
            if (m.uid() <= previous) {
                throw new IllegalArgumentException("imported UIDs must be ascending and distinct: " + m.uid()
                        + " after " + previous);
            }
            if (m.uid() >= uidNext) {
                throw new IllegalArgumentException("imported UID " + m.uid() + " is not below UIDNEXT " + uidNext);
            }
            long size = m.message().content().size();
            if (size < 0) {
                throw new IllegalArgumentException("the content of imported UID " + m.uid() + " has a negative size");
            }
            previous = m.uid();
            bytes += size;
        }
        return bytes;
    }

    private static void checkNeverHeld(MailboxRecord box) throws StoreException {
        if (box.uidNext != 1) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "mailbox " + box.name + " holds or held "
                    + "messages (UIDNEXT " + box.uidNext + "): only a mailbox that never held one can be imported into");
        }
    }

    private static MailboxInfo importInto(Tx tx, MailAddress user, String name, long uidValidity, long uidNext,
            List<ImportedMessage> messages, List<Segments.Written> written, long limit, long bytes)
            throws StoreException {
        User u = tx.ensureUser(user);
        MailboxRecord box = tx.boxByName(u, name);
        if (box != null) {
            checkNeverHeld(box);
        }
        tx.checkQuota(u, limit, bytes);
        if (box == null) {
            tx.createParents(u, user, name);
            box = tx.createBox(u, user, name, 0, uidValidity);
        } else {
            box.uidValidity = uidValidity;
            box.dirty = true;
        }
        tx.noteUidValidity(uidValidity);
        long[] uids = new long[messages.size()];
        for (int i = 0; i < uids.length; i++) {
            ImportedMessage im = messages.get(i);
            AppendRequest request = im.message();
            Segments.Written w = written.get(i);
            Segments.Reservation at = w.reservation();
            long blob = tx.createBlob(at, 1);
            MessageRecord m = new MessageRecord(0, MessageRecord.mask(request.flags().system()),
                    tx.keywordIds(request.flags().keywords(), true), request.internalDate(), tx.now, at.length(), blob,
                    at.file().id, at.offset(), tx.thread(u, w.ids()));
            uids[i] = tx.addMessage(box, im.uid(), m);
        }
        box.uidNext = uidNext;
        box.dirty = true;
        if (uids.length > 0) {
            tx.event(StoreEvents.MESSAGES_ADDED, user, box, uids, null);
        }
        return tx.info(box);
    }

    @Override
    public CheckReport check(MailAddress user, boolean repair) throws StoreException {
        Objects.requireNonNull(user, "user");
        User u = read(v -> knownUser(v, user));
        if (u == null) {
            // No store for this user: nothing to check, and a check creates none.
            return new CheckReport(user.toString(), 0, 0, List.of(), false);
        }
        CheckReport found = read(v -> new StoreCheck(user, u, new StoreCheck.ViewSource(v, this::stillPresent),
                this::segmentPath, null).run());
        if (!repair || found.clean()) {
            if (!found.clean()) {
                LOG.warn("check of {} found {}, none repaired", user, StoreCheck.some(found.problems().size(), "problem"));
            }
            return found;
        }
        CheckReport repaired = committer.run(tx -> new StoreCheck(user, u, new StoreCheck.LiveSource(tx),
                this::segmentPath, tx).run());
        LOG.warn("check of {} found {}{}", user, StoreCheck.some(repaired.problems().size(), "problem"),
                repaired.repaired() ? " and repaired them where it could" : ", none repairable");
        return repaired;
    }

    /**
     * Whether a message is still in the current index, at the same place: a check on an older
     * view may find the segment file of a message expunged since deleted.
     */
    boolean stillPresent(long mailboxId, long uid, MessageRecord m) {
        try {
            return read(v -> {
                byte[] b = v.message(mailboxId, uid);
                if (b == null) {
                    return false;
                }
                MessageRecord now = MessageRecord.decode(b);
                return now.segment == m.segment && now.offset == m.offset;
            });
        } catch (StoreException e) {
            return true;
        }
    }
}
