package org.postbus.imap.internal.session;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;

/**
 * The logged-in IMAP sessions of all listeners, by user. Routes the store's events to the
 * sessions that have the changed mailbox selected (so that they report EXISTS, EXPUNGE and FETCH
 * at the next point the protocol allows, or at once while they IDLE), counts sessions per user,
 * remembers failed logins per address, hands out \Recent, and caches parsed messages.
 */
@Component(service = {SessionRegistry.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + StoreEvents.TOPIC_PREFIX + "*")
public final class SessionRegistry implements EventHandler {

    private final Map<MailAddress, Set<ImapSession>> sessions = new ConcurrentHashMap<>();
    private final Map<InetAddress, long[]> failures = new ConcurrentHashMap<>();
    private final Map<String, Long> recentMarks = new ConcurrentHashMap<>();
    /** 64 MiB of parsed structure holds the headers of some 50,000 typical messages. */
    private final MessageCache cache = new MessageCache(64L * 1024 * 1024);

    @Override
    public void handleEvent(Event event) {
        Object user = event.getProperty(StoreEvents.USER);
        Object mailboxId = event.getProperty(StoreEvents.MAILBOX_ID);
        if (!(user instanceof String text) || !(mailboxId instanceof String id)) {
            return;
        }
        MailAddress address;
        try {
            address = MailAddress.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        Object uids = event.getProperty(StoreEvents.UIDS);
        long first = uids instanceof long[] list && list.length > 0 ? list[0] : 0;
        changed(address, id, event.getTopic(), first);
    }

    /** Tells the user's sessions that mailbox {@code mailboxId} changed. */
    public void changed(MailAddress user, String mailboxId, String topic, long firstUid) {
        if (StoreEvents.MAILBOX_DELETED.equals(topic)) {
            cache.forget(mailboxId);
        }
        if (StoreEvents.MESSAGES_ADDED.equals(topic) && firstUid > 0) {
            // Messages that arrive before any session looked are \Recent for the next one that does.
            recentMarks.putIfAbsent(mailboxId, firstUid);
        }
        Set<ImapSession> mine = sessions.get(user);
        if (mine != null) {
            for (ImapSession session : mine) {
                session.mailboxChanged(mailboxId);
            }
        }
    }

    /**
     * Notes messages this server just added (APPEND, COPY, MOVE) before the command's OK: the store's
     * event comes later, and a SELECT in between must still find them \Recent (RFC 3501 2.3.2).
     */
    void added(String mailboxId, long firstUid) {
        if (firstUid > 0) {
            recentMarks.putIfAbsent(mailboxId, firstUid);
        }
    }

    /** Registers a logged-in session, unless the user already has {@code max} of them. */
    boolean add(MailAddress user, ImapSession session, int max) {
        boolean[] added = {false};
        sessions.compute(user, (key, set) -> {
            Set<ImapSession> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (s.size() < max) {
                s.add(session);
                added[0] = true;
            }
            return s.isEmpty() ? null : s;
        });
        return added[0];
    }

    /** Forgets a session. */
    void remove(MailAddress user, ImapSession session) {
        sessions.computeIfPresent(user, (key, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
    }

    /** Logged-in sessions of a user, for tests. */
    int sessionsOf(MailAddress user) {
        Set<ImapSession> s = sessions.get(user);
        return s == null ? 0 : s.size();
    }

    /** Whether {@code address} is locked out after too many failed logins. */
    boolean lockedOut(InetAddress address, int maxFailures, long windowMillis) {
        long[] entry = failures.get(address);
        if (entry == null) {
            return false;
        }
        if (System.currentTimeMillis() - entry[1] > windowMillis) {
            failures.remove(address, entry);
            return false;
        }
        return entry[0] >= maxFailures;
    }

    /** Counts a failed login from {@code address}. */
    void failed(InetAddress address, long windowMillis) {
        long now = System.currentTimeMillis();
        failures.compute(address, (key, entry) -> entry == null || now - entry[1] > windowMillis
                ? new long[] {1, now} : new long[] {entry[0] + 1, now});
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> now - e.getValue()[1] > windowMillis);
        }
    }

    /** Forgets the failures of an address that logged in. */
    void succeeded(InetAddress address) {
        failures.remove(address);
    }

    /**
     * Claims, atomically, the messages below {@code uidNext} that no session has seen yet as
     * \Recent (IMAP4rev1): the caller wins the UIDs from the returned value up to {@code uidNext}
     * (none when the returned value is not below it).
     */
    long claimRecent(String mailboxId, long uidNext) {
        long[] from = {uidNext};
        recentMarks.compute(mailboxId, (key, mark) -> {
            from[0] = mark == null ? uidNext : mark;
            return Math.max(uidNext, from[0]);
        });
        return from[0];
    }

    /** The lowest UID not yet seen as \\Recent by any session, if known. */
    public long recentMark(String mailboxId) {
        Long mark = recentMarks.get(mailboxId);
        return mark == null ? Long.MAX_VALUE : mark;
    }

    /** The parsed-message cache. */
    MessageCache cache() {
        return cache;
    }
}
