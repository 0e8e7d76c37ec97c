package org.postbus.delivery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.Quota;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException;

/**
 * A store that records each {@link #deliver} call with the bytes it was given, leaves out the
 * users listed as full (throwing {@code OVER_QUOTA} if all are), or fails as told.
 */
final class RecordingStore implements MailStore {

    /** One deliver() call. */
    record Delivery(Map<MailAddress, String> targets, String content, AppendRequest request) {
    }

    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final Set<MailAddress> full = ConcurrentHashMap.newKeySet();
    volatile StoreException failure;
    private long nextUid = 1;

    @Override
    public synchronized Map<MailAddress, Long> deliver(Map<MailAddress, String> targets, AppendRequest message)
            throws StoreException {
        if (failure != null) {
            throw failure;
        }
        String bytes;
        try (InputStream in = message.content().open()) {
            bytes = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<MailAddress, Long> uids = new LinkedHashMap<>();
        for (MailAddress user : targets.keySet()) {
            if (!full.contains(user)) {
                uids.put(user, nextUid++);
            }
        }
        if (uids.isEmpty()) {
            throw new StoreException(StoreException.Reason.OVER_QUOTA, "the quota of every recipient is exceeded");
        }
        deliveries.add(new Delivery(Map.copyOf(targets), bytes, message));
        return uids;
    }

    @Override
    public List<MailboxInfo> mailboxes(MailAddress user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxInfo create(MailAddress user, String name, Set<SpecialUse> specialUse) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void rename(MailAddress user, String from, String to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(MailAddress user, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void subscribe(MailAddress user, String name, boolean subscribed) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Mailbox open(MailAddress user, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Quota quota(MailAddress user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> subscriptions(MailAddress user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MailAddress> users() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxInfo importMailbox(MailAddress user, String name, long uidValidity, long uidNext,
            List<ImportedMessage> messages) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CheckReport check(MailAddress user, boolean repair) {
        throw new UnsupportedOperationException();
    }
}
