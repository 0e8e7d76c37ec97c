package org.postbus.store.file.internal;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RootReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index as of the last durable commit: the roots of its maps, taken by the committer right
 * after it synced. Readers read only through a view, so they never see a change that a crash
 * could still take back, and a read of several maps (counters, then messages) is consistent.
 *
 * <p>A view keeps its MVStore version alive (a registered version usage) while anyone holds it:
 * the store holds the current view until the committer publishes the next, and each reader holds
 * it for the length of its read, or of its stream.
 */
final class View {

    private static final Logger LOG = LoggerFactory.getLogger(View.class);

    private final Index index;
    private final MVStore.TxCounter version;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final RootReference<String, byte[]> users;
    private final RootReference<Long, byte[]> usage;
    private final RootReference<Long, byte[]> mailboxes;
    private final RootReference<String, Long> names;
    private final RootReference<String, Long> subscriptions;
    private final RootReference<Key, byte[]> messages;
    private final RootReference<Key, byte[]> uidSets;
    private final RootReference<Key, Long> changes;
    private final RootReference<Key, Long> vanished;
    private final RootReference<Long, String> keywords;
    private final RootReference<Long, byte[]> blobs;
    private final RootReference<Long, byte[]> segments;

    private final Set<View> live;

    /**
     * Takes the current roots; call on the committer thread, with no uncommitted change.
     *
     * @param live the views not yet released, which this one joins until its last release
     */
    View(Index index, Set<View> live) {
        this.index = index;
        this.live = live;
        this.version = index.store.registerVersionUsage();
        live.add(this);
        this.users = index.users.getRoot();
        this.usage = index.usage.getRoot();
        this.mailboxes = index.mailboxes.getRoot();
        this.names = index.names.getRoot();
        this.subscriptions = index.subscriptions.getRoot();
        this.messages = index.messages.getRoot();
        this.uidSets = index.uidSets.getRoot();
        this.changes = index.changes.getRoot();
        this.vanished = index.vanished.getRoot();
        this.keywords = index.keywordNames.getRoot();
        this.blobs = index.blobs.getRoot();
        this.segments = index.segments.getRoot();
    }

    /** Takes a hold on the view, unless it is already retired. */
    boolean acquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Gives up a hold; the last one lets the MVStore reclaim this version's space. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            deregister();
        }
    }

    /** Ends the view whoever still holds it, as the store closes; later reads through it fail. */
    void retire() {
        if (refs.getAndSet(0) > 0) {
            deregister();
        }
    }

    private void deregister() {
        live.remove(this);
        try {
            index.store.deregisterVersionUsage(version);
        } catch (RuntimeException e) {
            LOG.debug("releasing an index version: {}", e.toString());
        }
    }

    byte[] user(String key) {
        return get(index.users, users, key);
    }

    /** Every user, by key. */
    Cursor<String, byte[]> users() {
        return new Cursor<>(users, null, null);
    }

    byte[] usage(long userId) {
        return get(index.usage, usage, userId);
    }

    byte[] mailbox(long id) {
        return get(index.mailboxes, mailboxes, id);
    }

    Long mailboxId(String key) {
        return get(index.names, names, key);
    }

    Cursor<String, Long> names(String from, String to) {
        return new Cursor<>(names, from, to);
    }

    boolean subscribed(String key) {
        return get(index.subscriptions, subscriptions, key) != null;
    }

    Cursor<String, Long> subscriptions(String from, String to) {
        return new Cursor<>(subscriptions, from, to);
    }

    byte[] message(long mailboxId, long uid) {
        return get(index.messages, messages, new Key(mailboxId, uid));
    }

    Cursor<Key, byte[]> messages(long mailboxId, long fromUid, long toUid) {
        return new Cursor<>(messages, new Key(mailboxId, fromUid), new Key(mailboxId, toUid));
    }

    /** Every message of every mailbox: for counting references to content store-wide. */
    Cursor<Key, byte[]> allMessages() {
        return new Cursor<>(messages, null, null);
    }

    Cursor<Key, byte[]> uidSets(long mailboxId) {
        return new Cursor<>(uidSets, Key.first(mailboxId), Key.last(mailboxId));
    }

    Cursor<Key, Long> changes(long mailboxId, long afterModSeq) {
        return new Cursor<>(changes, new Key(mailboxId, afterModSeq + 1), Key.last(mailboxId));
    }

    Cursor<Key, Long> vanished(long mailboxId, long afterModSeq) {
        return new Cursor<>(vanished, new Key(mailboxId, afterModSeq + 1), Key.last(mailboxId));
    }

    /** The UID entered in the change log at {@code modSeq}, or {@code null}. */
    Long change(long mailboxId, long modSeq) {
        return get(index.changes, changes, new Key(mailboxId, modSeq));
    }

    byte[] blob(long id) {
        return get(index.blobs, blobs, id);
    }

    Cursor<Long, byte[]> blobs() {
        return new Cursor<>(blobs, null, null);
    }

    Cursor<Long, byte[]> segments() {
        return new Cursor<>(segments, null, null);
    }

    byte[] segment(long id) {
        return get(index.segments, segments, id);
    }

    String keyword(long id) {
        return get(index.keywordNames, keywords, id);
    }

    private static <K, V> V get(MVMap<K, V> map, RootReference<K, V> root, K key) {
        return map.get(root.root, key);
    }
}
