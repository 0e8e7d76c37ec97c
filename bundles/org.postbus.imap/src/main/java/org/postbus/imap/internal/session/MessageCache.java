package org.postbus.imap.internal.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.postbus.mime.MimeMessage;

/**
 * A bounded cache of parsed messages, by mailbox identity and UID, so that a client fetching
 * ENVELOPE, then BODYSTRUCTURE, then parts does not make us parse the message each time.
 * Parsed messages hold structure only, no body bytes.
 *
 * <p>Shared by every session, so it takes no lock: with a hundred sessions one monitor around
 * an access-ordered map made most of them wait for each other (seen in thread dumps under the
 * IMAP benchmark). Eviction is first-in, first-out, which is close enough to LRU for a cache
 * that mostly serves the few commands of one client in a row.
 */
final class MessageCache {

    private record Key(String mailboxId, long uid) {
    }

    private final int capacity;
    private final ConcurrentHashMap<Key, MimeMessage> entries = new ConcurrentHashMap<>();
    private final Queue<Key> insertionOrder = new ConcurrentLinkedQueue<>();

    MessageCache(int capacity) {
        this.capacity = capacity;
    }

    MimeMessage get(String mailboxId, long uid) {
        return entries.get(new Key(mailboxId, uid));
    }

    void put(String mailboxId, long uid, MimeMessage message) {
        Key key = new Key(mailboxId, uid);
        if (entries.putIfAbsent(key, message) == null) {
            insertionOrder.add(key);
            while (entries.size() > capacity) {
                Key eldest = insertionOrder.poll();
                if (eldest == null) {
                    break;
                }
                entries.remove(eldest);
            }
        }
    }

    void forget(String mailboxId) {
        entries.keySet().removeIf(key -> key.mailboxId().equals(mailboxId));
        insertionOrder.removeIf(key -> key.mailboxId().equals(mailboxId));
    }
}
