package org.postbus.store.contract;

import java.util.List;
import java.util.Map;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;

/**
 * What the contract suite needs from a store implementation: the store itself, a way to restart
 * it (cleanly, or as after a crash), quotas as the directory would give them, and the events it
 * posted. A store bundle implements this in its tests.
 */
public interface StoreFixture extends AutoCloseable {

    /** The store under test; a new instance after each restart. */
    MailStore store();

    /** Closes the store cleanly and opens it again from its files. */
    void reopen() throws Exception;

    /**
     * Drops the store as a crash would (no flush, no clean close of pending work) and opens it
     * again from its files. Everything a method returned successfully from must still be there.
     */
    void crashAndReopen() throws Exception;

    /** Sets a user's storage quota in bytes ({@code -1}: none), as the directory would. */
    void setQuota(MailAddress user, long bytes);

    /**
     * The events posted since the last call, oldest first: each a topic with its properties
     * (see {@code org.postbus.api.event.StoreEvents}).
     */
    List<PostedEvent> drainEvents();

    /** An event as the store posted it. */
    record PostedEvent(String topic, Map<String, Object> properties) {
    }
}
