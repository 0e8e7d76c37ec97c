package org.postbus.store.file.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.Cursor;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.SmallRecords.Usage;
import org.postbus.store.file.internal.SmallRecords.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open mailbox: its id and owner, nothing per message. Reads go to the store's current view;
 * changes go through the committer.
 */
final class FileMailbox implements Mailbox {

    private static final Logger LOG = LoggerFactory.getLogger(FileMailbox.class);

    private final FileMailStore store;
    private final MailAddress user;
    private final long userId;
    private final long id;
    private volatile MailboxInfo last;
    private volatile boolean closed;

    FileMailbox(FileMailStore store, MailAddress user, long userId, long id, MailboxInfo info) {
        this.store = store;
        this.user = user;
        this.userId = userId;
        this.id = id;
        this.last = info;
    }

    @Override
    public MailboxInfo info() {
        try {
            MailboxInfo now = store.read(v -> {
                byte[] b = v.mailbox(id);
                if (b == null) {
                    return null;
                }
                MailboxRecord r = MailboxRecord.decode(id, b);
                return new MailboxInfo(r.name, r.objectId(), r.uidValidity, r.specialUses(),
                        v.subscribed(Index.prefix(userId) + r.name));
            });
            if (now != null) {
                last = now;
            }
        } catch (StoreException e) {
            // The store is stopped: the mailbox as last seen.
        }
        return last;
    }

    private MailboxRecord record(View v) throws StoreException {
        if (closed) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "the mailbox " + last.name() + " is closed");
        }
        byte[] b = v.mailbox(id);
        if (b == null) {
            throw gone();
        }
        return MailboxRecord.decode(id, b);
    }

    private StoreException gone() {
        return new StoreException(StoreException.Reason.NONEXISTENT, "mailbox " + last.name() + " no longer exists");
    }

    private MailboxRecord record(Tx tx) throws StoreException {
        MailboxRecord r = tx.box(id);
        if (r == null) {
            throw gone();
        }
        return r;
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "the mailbox " + last.name() + " is closed");
        }
    }

    @Override
    public MailboxStatus status() throws StoreException {
        return store.read(v -> {
            MailboxRecord r = record(v);
            return new MailboxStatus(r.messages, r.unseen, 0, r.uidNext, r.uidValidity, r.highestModSeq, r.size,
                    r.deleted);
        });
    }

    /**
     * The keyword list the mailbox record keeps (see {@link MailboxRecord}), which may still name
     * keywords no message has any more. Where the record has none, the messages are read: for a
     * mailbox whose messages use more than {@link MailboxRecord#MAX_KEYWORDS} keywords every time,
     * for one from before the list existed once, after which the committer records what was found.
     */
    @Override
    public Set<String> keywords() throws StoreException {
        record Found(Set<String> names, long[] walked, long modSeq) {
        }
        Found found = store.read(v -> {
            MailboxRecord r = record(v);
            if (r.keywords() == MailboxRecord.Keywords.KNOWN) {
                return new Found(store.keywords(v, r.keywordIds()), null, 0);
            }
            LongList all = new LongList();
            Cursor<Key, byte[]> c = v.messages(id, 0, Long.MAX_VALUE);
            while (c.hasNext()) {
                c.next();
                MessageRecord.keywords(c.getValue(), all);
            }
            long[] ids = MailboxRecord.distinct(all.sorted());
            return new Found(store.keywords(v, ids), r.keywords() == MailboxRecord.Keywords.UNKNOWN ? ids : null,
                    r.highestModSeq);
        });
        if (found.walked() != null) {
            remember(found.walked(), found.modSeq());
        }
        return found.names();
    }

    /**
     * Records the keywords of an old mailbox, found on a view at {@code modSeq}, without making
     * the reader wait. Messages added or changed since have a greater MODSEQ, so the change log
     * from there names every one whose keywords the walk may have missed; what the walk found on
     * messages expunged since stays listed, as the list allows.
     *
     * @return the change, done when durable (tests wait for it; readers do not)
     */
    CompletableFuture<Void> remember(long[] walked, long modSeq) {
        CompletableFuture<Void> change = store.committer().submit(tx -> {
            MailboxRecord r = tx.box(id);
            if (r == null || r.keywords() != MailboxRecord.Keywords.UNKNOWN) {
                return null;
            }
            LongList all = new LongList();
            for (long k : walked) {
                all.add(k);
            }
            Cursor<Key, Long> c = tx.ix.changes.cursor(new Key(id, modSeq + 1), Key.last(id), false);
            while (c.hasNext()) {
                c.next();
                byte[] b = tx.ix.messages.get(new Key(id, c.getValue()));
                if (b != null) {
                    MessageRecord.keywords(b, all);
                }
            }
            r.setKeywords(MailboxRecord.distinct(all.sorted()));
            return null;
        });
        change.whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.debug("the keywords of mailbox {} were not recorded: {}", last.name(), failure.toString());
            }
        });
        return change;
    }

    @Override
    public long[] uids() throws StoreException {
        return store.read(v -> {
            MailboxRecord r = record(v);
            long[] uids = new long[(int) r.messages];
            int n = 0;
            Cursor<Key, byte[]> c = v.uidSets(id);
            while (c.hasNext()) {
                long chunk = c.next().lo();
                byte[] set = c.getValue();
                int count = UidSets.count(set);
                if (n + count > uids.length) {
                    uids = Arrays.copyOf(uids, n + count);
                }
                n = UidSets.decode(chunk, set, uids, n);
            }
            return n == uids.length ? uids : Arrays.copyOf(uids, n);
        });
    }

    @Override
    public Stream<MessageMeta> messages(UidRange range) throws StoreException {
        Objects.requireNonNull(range, "range");
        View v = store.acquire();
        try {
            record(v);
            Cursor<Key, byte[]> c = v.messages(id, range.first(), range.last());
            return lazy(v, new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return c.hasNext();
                }

                @Override
                public MessageMeta next() {
                    long uid = c.next().lo();
                    MessageRecord m = MessageRecord.decode(c.getValue());
                    return Reads.meta(uid, m, store.flags(v, m));
                }
            });
        } catch (StoreException | RuntimeException e) {
            v.release();
            throw e instanceof StoreException se ? se : FileMailStore.unavailable((RuntimeException) e);
        }
    }

    @Override
    public Stream<MessageMeta> changedSince(long modSeq) throws StoreException {
        View v = store.acquire();
        try {
            MailboxRecord r = record(v);
            long[] uids;
            if (modSeq >= r.highestModSeq) {
                uids = new long[0];
            } else {
                LongList list = new LongList();
                Cursor<Key, Long> c = v.changes(id, Math.max(0, modSeq));
                while (c.hasNext()) {
                    c.next();
                    list.add(c.getValue());
                }
                uids = list.sorted();
            }
            long[] sorted = uids;
            return lazy(v, new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < sorted.length;
                }

                @Override
                public MessageMeta next() {
                    if (i >= sorted.length) {
                        throw new NoSuchElementException();
                    }
                    long uid = sorted[i++];
                    MessageRecord m = MessageRecord.decode(v.message(id, uid));
                    return Reads.meta(uid, m, store.flags(v, m));
                }
            });
        } catch (StoreException | RuntimeException e) {
            v.release();
            throw e instanceof StoreException se ? se : FileMailStore.unavailable((RuntimeException) e);
        }
    }

    /**
     * A stream over a held view: the view is released when the stream is closed, has been read
     * to its end, or is dropped unclosed (found by the store's housekeeping).
     */
    private Stream<MessageMeta> lazy(View v, Iterator<MessageMeta> items) {
        AtomicReference<FileMailStore.StreamHold> hold = new AtomicReference<>();
        Iterator<MessageMeta> releasing = new Iterator<>() {
            @Override
            public boolean hasNext() {
                FileMailStore.StreamHold h = hold.get();
                if (h == null || h.released()) {
                    return false;
                }
                boolean more = items.hasNext();
                if (!more) {
                    h.run();
                }
                return more;
            }

            @Override
            public MessageMeta next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return items.next();
            }
        };
        Stream<MessageMeta> stream = StreamSupport.stream(Spliterators.spliteratorUnknownSize(releasing,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
        FileMailStore.StreamHold h = store.new StreamHold(stream, v);
        hold.set(h);
        return stream.onClose(h);
    }

    @Override
    public List<Long> expungedSince(long modSeq) throws StoreException {
        return store.read(v -> {
            MailboxRecord r = record(v);
            if (modSeq >= r.highestModSeq) {
                return List.of();
            }
            LongList list = new LongList();
            Cursor<Key, Long> c = v.vanished(id, Math.max(0, modSeq));
            while (c.hasNext()) {
                c.next();
                list.add(c.getValue());
            }
            return Arrays.stream(list.sorted()).boxed().toList();
        });
    }

    @Override
    public long expungeHistoryFrom() throws StoreException {
        return store.read(v -> record(v).historyFrom);
    }

    /** The mailbox's id in the index: for tests. */
    long id() {
        return id;
    }

    @Override
    public MessageContent content(long uid) throws StoreException {
        return store.read(v -> {
            record(v);
            byte[] b = v.message(id, uid);
            if (b == null) {
                throw new StoreException(StoreException.Reason.NONEXISTENT,
                        "no message with UID " + uid + " in " + last.name());
            }
            MessageRecord m = MessageRecord.decode(b);
            return store.content(m);
        });
    }

    @Override
    public MessageMeta append(AppendRequest request) throws StoreException {
        Objects.requireNonNull(request, "request");
        checkOpen();
        long limit = store.limit(user);
        long size = request.content().size();
        store.read(v -> {
            MailboxRecord r = record(v);
            if (limit >= 0) {
                Usage use = Usage.decode(v.usage(r.userId));
                if (use.bytes() + size > limit) {
                    throw Tx.overQuota(user.toString(), limit, use.bytes(), size);
                }
            }
            return null;
        });
        Segments.Written w = store.write(request.content());
        Segments.Reservation at = w.reservation();
        return store.committer().run(tx -> {
            MailboxRecord box = record(tx);
            User u = tx.ensureUser(user);
            tx.checkQuota(u, limit, size);
            Tx.checkUids(box, 1);
            long blob = tx.createBlob(at, 1);
            MessageRecord m = new MessageRecord(0, MessageRecord.mask(request.flags().system()),
                    tx.keywordIds(request.flags().keywords(), true), request.internalDate(), tx.now, size, blob,
                    at.file().id, at.offset(), tx.thread(u, w.ids()));
            long uid = tx.addMessage(box, m);
            tx.event(StoreEvents.MESSAGES_ADDED, user, box, new long[] {uid}, null);
            return tx.meta(uid, m);
        }, List.of(at));
    }

    @Override
    public List<MessageMeta> updateFlags(List<UidRange> uids, FlagUpdate update) throws StoreException {
        Objects.requireNonNull(update, "update");
        checkOpen();
        List<UidRange> ranges = Reads.merge(uids);
        if (ranges.isEmpty()) {
            return List.of();
        }
        boolean conditional = update.unchangedSince() >= 0;
        return store.committer().run(tx -> {
            MailboxRecord box = record(tx);
            int mask = MessageRecord.mask(update.flags().system());
            long[] keywords = tx.keywordIds(update.flags().keywords(), update.mode() != FlagUpdate.Mode.REMOVE);
            List<MessageMeta> result = new ArrayList<>();
            LongList changed = new LongList();
            for (UidRange range : ranges) {
                Cursor<Key, byte[]> c = tx.ix.messages.cursor(new Key(id, range.first()), new Key(id, range.last()),
                        false);
                while (c.hasNext()) {
                    long uid = c.next().lo();
                    MessageRecord m = MessageRecord.decode(c.getValue());
                    if (conditional && m.modSeq > update.unchangedSince()) {
                        continue;
                    }
                    int flags;
                    long[] kws;
                    switch (update.mode()) {
                        case ADD -> {
                            flags = m.flags | mask;
                            kws = Tx.union(m.keywords, keywords);
                        }
                        case REMOVE -> {
                            flags = m.flags & ~mask;
                            kws = Tx.minus(m.keywords, keywords);
                        }
                        default -> {
                            flags = mask;
                            kws = keywords;
                        }
                    }
                    if (flags == m.flags && Arrays.equals(kws, m.keywords)) {
                        // Applied without changing anything: returned (it passed any condition, so
                        // it is not MODIFIED) with its MODSEQ as it was.
                        result.add(tx.meta(uid, m));
                        continue;
                    }
                    tx.updateMessage(box, uid, m, flags, kws);
                    result.add(tx.meta(uid, m));
                    changed.add(uid);
                }
            }
            if (!changed.isEmpty()) {
                tx.event(StoreEvents.FLAGS_CHANGED, user, box, changed.toArray(), null);
            }
            return result;
        });
    }

    @Override
    public Map<Long, Long> copy(List<UidRange> uids, String target) throws StoreException {
        return transfer(uids, target, false);
    }

    @Override
    public Map<Long, Long> move(List<UidRange> uids, String target) throws StoreException {
        return transfer(uids, target, true);
    }

    private Map<Long, Long> transfer(List<UidRange> uids, String target, boolean move) throws StoreException {
        checkOpen();
        String t = MailboxNames.canonical(target);
        List<UidRange> ranges = Reads.merge(uids);
        long limit = move ? -1 : store.limit(user);
        return store.committer().run(tx -> {
            MailboxRecord src = record(tx);
            User u = tx.ensureUser(user);
            MailboxRecord dst = tx.boxByName(u, t);
            if (dst == null) {
                throw new StoreException(StoreException.Reason.NONEXISTENT, "mailbox " + t + " does not exist");
            }
            LongList found = new LongList();
            long bytes = 0;
            for (UidRange range : ranges) {
                Cursor<Key, byte[]> c = tx.ix.messages.cursor(new Key(id, range.first()), new Key(id, range.last()),
                        false);
                while (c.hasNext()) {
                    found.add(c.next().lo());
                    bytes += MessageRecord.decode(c.getValue()).size;
                }
            }
            if (found.isEmpty()) {
                return Map.of();
            }
            if (!move) {
                tx.checkQuota(u, limit, bytes);
            }
            Tx.checkUids(dst, found.size());
            Map<Long, Long> map = new LinkedHashMap<>();
            long[] added = new long[found.size()];
            for (int i = 0; i < found.size(); i++) {
                long uid = found.get(i);
                MessageRecord m = tx.message(id, uid);
                if (!move) {
                    tx.ref(m.blobId);
                }
                added[i] = tx.addMessage(dst, m.copy(0, tx.now));
                if (move) {
                    tx.removeMessage(src, uid, m, true);
                }
                map.put(uid, added[i]);
            }
            tx.event(StoreEvents.MESSAGES_ADDED, user, dst, added, null);
            if (move) {
                tx.event(StoreEvents.MESSAGES_EXPUNGED, user, src, found.toArray(), null);
            }
            return map;
        });
    }

    @Override
    public List<Long> expunge(List<UidRange> uids) throws StoreException {
        checkOpen();
        List<UidRange> ranges = uids == null ? List.of(UidRange.ALL) : Reads.merge(uids);
        return store.committer().run(tx -> {
            MailboxRecord box = record(tx);
            if (box.deleted == 0 || ranges.isEmpty()) {
                return List.of();
            }
            LongList gone = new LongList();
            for (UidRange range : ranges) {
                Cursor<Key, byte[]> c = tx.ix.messages.cursor(new Key(id, range.first()), new Key(id, range.last()),
                        false);
                while (c.hasNext()) {
                    long uid = c.next().lo();
                    MessageRecord m = MessageRecord.decode(c.getValue());
                    if (m.has(Flag.DELETED)) {
                        tx.removeMessage(box, uid, m, false);
                        gone.add(uid);
                    }
                }
            }
            if (gone.isEmpty()) {
                return List.of();
            }
            long[] expunged = gone.toArray();
            tx.event(StoreEvents.MESSAGES_EXPUNGED, user, box, expunged, null);
            return Arrays.stream(expunged).boxed().toList();
        });
    }

    @Override
    public void close() {
        closed = true;
    }
}
