package org.postbus.store.file.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.postbus.api.mail.MailAddress;

/**
 * The metadata index: one H2 MVStore file, {@code index/store.mv.db}, holding these maps.
 *
 * <pre>
 * meta          String           -> Long     counters: next ids, last UIDVALIDITY, format
 * users         "local@domain"   -> User     (lower-cased address) user id, address as first seen
 * usage         userId           -> Usage    bytes and messages stored, for the quota
 * mailboxes     mailboxId        -> MailboxRecord  name, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, counters,
 *                                   ids of the keywords its messages use (FLAGS)
 * names         "uuuu:name"      -> mailboxId      per user (16 hex digits) and full name, in name order
 * subscriptions "uuuu:name"      -> 1
 * messages      (mailbox, uid)   -> MessageRecord  flags, keywords, dates, size, blob place, thread
 * uidSets       (mailbox, uid/4096) -> 512-byte bitmap of the UIDs present: uids() of a million
 *                                   messages reads ~250 small values instead of a million records
 * changes       (mailbox, modseq)-> uid      one entry per message, at its current MODSEQ (CHANGEDSINCE)
 * vanished      (mailbox, modseq)-> uid      expunged UIDs (QRESYNC VANISHED), a bounded history
 * expungeTimes  (mailbox, modseq)-> epoch ms  when the expunges from this MODSEQ on began: one mark an
 *                                   hour at most, so that old history can be dropped by age
 * blobs         blobId           -> Blob     segment, offset, length, reference count
 * segments      segmentId        -> Segment  committed length, live bytes, live blobs
 * threads       "uuuu:msgid"     -> threadId per user, Message-IDs seen (own and referenced)
 * keywordNames  keywordId        -> keyword  one store-wide dictionary of keywords
 * keywordIds    lower(keyword)   -> keywordId
 * </pre>
 *
 * Only the committer thread changes the maps; readers use a {@link View}.
 */
final class Index implements AutoCloseable {

    /** The layout this code writes; a store with another one is not opened. */
    static final long FORMAT = 1;

    /** Size at which index pages split. */
    static final int PAGE_SPLIT_SIZE = 4096;

    /** Segments of the page cache (MVStore's default is 16), for a cache of 16 MiB or more. */
    static final int CACHE_CONCURRENCY = 64;

    static final String NEXT_USER = "next.user";
    static final String NEXT_MAILBOX = "next.mailbox";
    static final String NEXT_BLOB = "next.blob";
    static final String NEXT_THREAD = "next.thread";
    static final String NEXT_KEYWORD = "next.keyword";
    static final String LAST_SEGMENT = "last.segment";
    /** The compactor's current (cold) segment, so that a restart does not fill it with new mail. */
    static final String COLD_SEGMENT = "cold.segment";
    static final String LAST_UIDVALIDITY = "last.uidvalidity";
    static final String FORMAT_KEY = "format";

    final MVStore store;
    final MVMap<String, Long> meta;
    final MVMap<String, byte[]> users;
    final MVMap<Long, byte[]> usage;
    final MVMap<Long, byte[]> mailboxes;
    final MVMap<String, Long> names;
    final MVMap<String, Long> subscriptions;
    final MVMap<Key, byte[]> messages;
    final MVMap<Key, byte[]> uidSets;
    final MVMap<Key, Long> changes;
    final MVMap<Key, Long> vanished;
    final MVMap<Key, Long> expungeTimes;
    final MVMap<Long, byte[]> blobs;
    final MVMap<Long, byte[]> segments;
    final MVMap<String, Long> threads;
    final MVMap<Long, String> keywordNames;
    final MVMap<String, Long> keywordIds;
    private final List<MVMap<?, ?>> all;

    private Index(MVStore store) {
        this.store = store;
        meta = map("meta", StringDataType.INSTANCE, LongDataType.INSTANCE);
        users = map("users", StringDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        usage = map("usage", LongDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        mailboxes = map("mailboxes", LongDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        names = map("names", StringDataType.INSTANCE, LongDataType.INSTANCE);
        subscriptions = map("subscriptions", StringDataType.INSTANCE, LongDataType.INSTANCE);
        messages = map("messages", KeyType.INSTANCE, ByteArrayDataType.INSTANCE);
        uidSets = map("uidSets", KeyType.INSTANCE, ByteArrayDataType.INSTANCE);
        changes = map("changes", KeyType.INSTANCE, LongDataType.INSTANCE);
        vanished = map("vanished", KeyType.INSTANCE, LongDataType.INSTANCE);
        expungeTimes = map("expungeTimes", KeyType.INSTANCE, LongDataType.INSTANCE);
        blobs = map("blobs", LongDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        segments = map("segments", LongDataType.INSTANCE, ByteArrayDataType.INSTANCE);
        threads = map("threads", StringDataType.INSTANCE, LongDataType.INSTANCE);
        keywordNames = map("keywordNames", LongDataType.INSTANCE, StringDataType.INSTANCE);
        keywordIds = map("keywordIds", StringDataType.INSTANCE, LongDataType.INSTANCE);
        all = List.of(meta, users, usage, mailboxes, names, subscriptions, messages, uidSets, changes, vanished,
                expungeTimes, blobs, segments, threads, keywordNames, keywordIds);
    }

    /**
     * Opens (or creates) the index file. No background thread: only the committer writes and
     * commits.
     */
    static Index open(Path file, int cacheMiB) {
        MVStore store = new MVStore.Builder()
                // retry: reopens the file when an interrupted reader's thread closed the channel
                .fileName("retry:" + file.toAbsolutePath())
                .autoCommitDisabled()
                .cacheSize(Math.max(1, cacheMiB))
                .cacheConcurrency(cacheConcurrency(cacheMiB))
                // Small pages: every commit rewrites a leaf and its parents per changed map, and
                // the space of replaced chunks is only reused after the MVStore's retention time
                // (45 s), so bytes per commit bound the file's slack under many small commits.
                .pageSplitSize(PAGE_SPLIT_SIZE)
                .open();
        try {
            return new Index(store);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    /**
     * How many segments to split the page cache into. Each segment is a monitor every reader of a
     * page in it takes, so with MVStore's default of 16 many concurrent sessions queue on them.
     * Each segment gets an equal share of the cache, and a page larger than its share is not
     * cached, so small caches keep at least 256 KiB a segment. A power of two, as MVStore demands.
     */
    static int cacheConcurrency(int cacheMiB) {
        return Integer.highestOneBit((int) Math.min(CACHE_CONCURRENCY, Math.max(1, cacheMiB) * 4L));
    }

    private <K, V> MVMap<K, V> map(String name, DataType<K> keys, DataType<V> values) {
        return store.openMap(name, new MVMap.Builder<K, V>().keyType(keys).valueType(values));
    }

    /** Every map, for the committer to tell whether a change wrote anything. */
    List<MVMap<?, ?>> maps() {
        return all;
    }

    /** The next value of a counter (1 for the first). */
    long next(String counter) {
        long value = meta.getOrDefault(counter, 0L) + 1;
        meta.put(counter, value);
        return value;
    }

    /** The key of a user in {@link #users}. */
    static String userKey(MailAddress user) {
        return user.localPart().toLowerCase(Locale.ROOT) + "@" + user.domain();
    }

    /** The prefix of a user's entries in {@link #names}, {@link #subscriptions} and {@link #threads}. */
    static String prefix(long userId) {
        String hex = Long.toHexString(userId);
        return "0".repeat(16 - hex.length()) + hex + ":";
    }

    /** The smallest string greater than every string starting with {@code prefix}. */
    static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }

    @Override
    public void close() {
        store.close();
    }
}
