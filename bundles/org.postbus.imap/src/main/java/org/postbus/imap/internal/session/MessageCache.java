package org.postbus.imap.internal.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.postbus.mime.HeaderField;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.MimePart;

/**
 * A cache of parsed messages, by mailbox identity and UID, bounded by an estimate of the memory
 * they hold, so that a client fetching ENVELOPE, then BODYSTRUCTURE, then parts, or searching a
 * mailbox's subjects again, does not make us read and parse the message each time. It holds full
 * parses and header-only parses ({@link MimeMessage#headerOnly()}); a full parse replaces a
 * header-only one. Parsed messages hold structure and header fields only, no body bytes.
 *
 * <p>Shared by every session, so it takes no lock: with a hundred sessions one monitor around
 * an access-ordered map made most of them wait for each other (seen in thread dumps under the
 * IMAP benchmark). Eviction is first-in, first-out, which is close enough to LRU for a cache
 * that mostly serves the few commands of one client in a row.
 */
final class MessageCache {

    private record Key(String mailboxId, long uid) {
    }

    private record Entry(MimeMessage message, long weight) {
    }

    private final long budget;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Queue<Key> insertionOrder = new ConcurrentLinkedQueue<>();
    private final AtomicLong weight = new AtomicLong();

    /** @param budget the bytes the cached messages may hold, roughly */
    MessageCache(long budget) {
        this.budget = budget;
    }

    /** A full parse of the message, or null. */
    MimeMessage get(String mailboxId, long uid) {
        Entry e = entries.get(new Key(mailboxId, uid));
        return e == null || e.message.headerOnly() ? null : e.message;
    }

    /** A full or header-only parse of the message, or null. */
    MimeMessage header(String mailboxId, long uid) {
        Entry e = entries.get(new Key(mailboxId, uid));
        return e == null ? null : e.message;
    }

    void put(String mailboxId, long uid, MimeMessage message) {
        Key key = new Key(mailboxId, uid);
        Entry entry = new Entry(message, estimate(message));
        Entry before = entries.putIfAbsent(key, entry);
        if (before == null) {
            insertionOrder.add(key);
        } else if (before.message.headerOnly() && !message.headerOnly() && entries.replace(key, before, entry)) {
            weight.addAndGet(-before.weight);
        } else {
            return;
        }
        if (weight.addAndGet(entry.weight) > budget) {
            evict();
        }
    }

    void forget(String mailboxId) {
        entries.entrySet().removeIf(e -> {
            if (e.getKey().mailboxId().equals(mailboxId)) {
                weight.addAndGet(-e.getValue().weight);
                return true;
            }
            return false;
        });
        insertionOrder.removeIf(key -> key.mailboxId().equals(mailboxId));
    }

    /** The estimated bytes held, for tests and diagnostics. */
    long weight() {
        return weight.get();
    }

    int size() {
        return entries.size();
    }

    private void evict() {
        while (weight.get() > budget) {
            Key eldest = insertionOrder.poll();
            if (eldest == null) {
                return;
            }
            Entry gone = entries.remove(eldest);
            if (gone != null) {
                weight.addAndGet(-gone.weight);
            }
        }
    }

    /**
     * Bytes a parsed message keeps alive, roughly: its header text (two bytes a char in the worst
     * case) plus the objects around each field and part.
     */
    static long estimate(MimeMessage message) {
        return 200 + estimate(message.root());
    }

    private static long estimate(MimePart part) {
        long bytes = 250;
        for (HeaderField f : part.fields()) {
            bytes += 90 + 2L * (f.name().length() + f.value().length());
        }
        for (MimePart child : part.children()) {
            bytes += estimate(child);
        }
        if (part.attached().isPresent()) {
            bytes += estimate(part.attached().get());
        }
        return bytes;
    }
}
