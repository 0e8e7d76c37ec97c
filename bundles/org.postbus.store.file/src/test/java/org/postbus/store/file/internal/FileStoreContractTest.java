package org.postbus.store.file.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;
import org.postbus.store.contract.MailStoreContract;
import org.postbus.store.contract.StoreFixture;

/** The embedded store against the store contract suite. */
class FileStoreContractTest extends MailStoreContract {

    @Override
    protected StoreFixture createFixture(Path dir) throws Exception {
        return new FileStoreFixture(dir);
    }

    /** The store over a folder; a crash drops it without draining or forcing anything. */
    static final class FileStoreFixture implements StoreFixture {
        private final Path dir;
        private final Map<MailAddress, Long> quotas = new ConcurrentHashMap<>();
        private final List<PostedEvent> events = new ArrayList<>();
        private volatile FileMailStore store;

        FileStoreFixture(Path dir) throws Exception {
            this.dir = dir;
            open();
        }

        private void open() throws Exception {
            store = new FileMailStore(dir, FileMailStore.Settings.DEFAULT, quotas::get, this::posted,
                    Clock.systemUTC());
        }

        private void posted(String topic, Map<String, Object> properties) {
            synchronized (events) {
                events.add(new PostedEvent(topic, Map.copyOf(properties)));
            }
        }

        @Override
        public MailStore store() {
            return store;
        }

        @Override
        public void reopen() throws Exception {
            store.close();
            open();
        }

        @Override
        public void crashAndReopen() throws Exception {
            store.crashForTests();
            open();
        }

        @Override
        public void setQuota(MailAddress user, long bytes) {
            if (bytes < 0) {
                quotas.remove(user);
            } else {
                quotas.put(user, bytes);
            }
        }

        @Override
        public List<PostedEvent> drainEvents() {
            synchronized (events) {
                List<PostedEvent> drained = List.copyOf(events);
                events.clear();
                return drained;
            }
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
