package org.postbus.imap.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.postbus.mime.MimeMessage;

/**
 * A bounded cache of parsed messages, by mailbox identity and UID, so that a client fetching
 * ENVELOPE, then BODYSTRUCTURE, then parts does not make us parse the message each time.
 * Parsed messages hold structure only, no body bytes.
 */
final class MessageCache {

    private final int capacity;
    private final LinkedHashMap<String, MimeMessage> entries;

    MessageCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MimeMessage> eldest) {
                return size() > MessageCache.this.capacity;
            }
        };
    }

    synchronized MimeMessage get(String mailboxId, long uid) {
        return entries.get(mailboxId + '/' + uid);
    }

    synchronized void put(String mailboxId, long uid, MimeMessage message) {
        entries.put(mailboxId + '/' + uid, message);
    }

    synchronized void forget(String mailboxId) {
        String prefix = mailboxId + '/';
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }
}
