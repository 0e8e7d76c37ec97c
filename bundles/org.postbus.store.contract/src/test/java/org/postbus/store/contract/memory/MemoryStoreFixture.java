package org.postbus.store.contract.memory;

import java.util.ArrayList;
import java.util.List;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;
import org.postbus.store.contract.StoreFixture;

/** The in-memory store behind the contract suite's own run. */
final class MemoryStoreFixture implements StoreFixture {
    private final MemoryStore.State state = new MemoryStore.State();
    private MemoryStore store = new MemoryStore(state);

    @Override
    public MailStore store() {
        return store;
    }

    @Override
    public void reopen() {
        store.kill();
        store = new MemoryStore(state);
    }

    @Override
    public void crashAndReopen() {
        reopen();
    }

    @Override
    public void setQuota(MailAddress user, long bytes) {
        synchronized (state) {
            state.limits.put(user, bytes);
        }
    }

    @Override
    public List<PostedEvent> drainEvents() {
        synchronized (state) {
            List<PostedEvent> events = new ArrayList<>(state.events);
            state.events.clear();
            return events;
        }
    }

    @Override
    public void close() {
        store.kill();
    }
}
