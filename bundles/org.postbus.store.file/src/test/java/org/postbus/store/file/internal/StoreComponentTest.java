package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Directory;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.health.Health;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.StoreException;

/** The DS component against a minimal stand-in framework. */
class StoreComponentTest {

    private static final MailAddress ALICE = addr("alice@example.org");

    @TempDir
    Path dir;

    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final List<Object> registered = new ArrayList<>();
    private final List<Event> posted = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> frameworkProperties.get((String) args[0]);
                    case "registerService" -> {
                        assertSame(MailStore.class, args[0]);
                        registered.add(args[1]);
                        yield Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        registered.remove(args[1]);
                                        return null;
                                    }
                                    throw new UnsupportedOperationException(m.getName());
                                });
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static StoreConfig config(Map<String, Object> values) {
        return (StoreConfig) Proxy.newProxyInstance(StoreConfig.class.getClassLoader(), new Class<?>[] {StoreConfig.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
    }

    private StoreComponent component() throws Exception {
        StoreComponent component = new StoreComponent();
        set(component, "eventAdmin", Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventAdmin.class},
                (p, m, a) -> {
                    if (m.getName().equals("postEvent")) {
                        posted.add((Event) a[0]);
                    }
                    return null;
                }));
        return component;
    }

    private static void set(StoreComponent component, String field, Object value) throws Exception {
        Field f = StoreComponent.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(component, value);
    }

    private static Directory directoryWithQuota(long quota) {
        return (Directory) Proxy.newProxyInstance(StoreComponentTest.class.getClassLoader(),
                new Class<?>[] {Directory.class}, (p, m, a) -> {
                    if (m.getName().equals("account")) {
                        return Optional.of(new Account((MailAddress) a[0], quota, true, Instant.EPOCH));
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void registersTheStoreReportsHealthAndStopsCleanly() throws Exception {
        frameworkProperties.put(StoreComponent.DATA_PROPERTY, dir.toString());
        StoreComponent component = component();
        component.activate(context(), config(Map.of()));
        assertTrue(component.check().up(), component.check().detail());
        assertEquals(1, registered.size());
        assertTrue(Files.isDirectory(dir.resolve("store").resolve("index")));
        MailStore store = (MailStore) registered.get(0);
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            box.append(message("Subject: x\r\n\r\nx\r\n"));
        }
        assertTrue(posted.stream().anyMatch(e -> e.getTopic().equals(StoreEvents.MESSAGES_ADDED)
                && e.getProperty(StoreEvents.USER).equals(ALICE.toString())));

        component.deactivate();
        assertTrue(registered.isEmpty());
        assertFalse(component.check().up());
        assertEquals(0, FileMailStoreTest.commitThreads());
        assertEquals(StoreException.Reason.UNAVAILABLE,
                assertThrows(StoreException.class, () -> store.mailboxes(ALICE)).reason());
    }

    @Test
    void quotaComesFromTheDirectoryWhenThereIsOne() throws Exception {
        StoreComponent component = component();
        component.activate(context(), config(Map.of("storage_dir", dir.toString())));
        MailStore store = (MailStore) registered.get(0);
        assertEquals(-1, store.quota(ALICE).limitBytes());
        set(component, "directory", directoryWithQuota(10));
        assertEquals(10, store.quota(ALICE).limitBytes());
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            assertEquals(StoreException.Reason.OVER_QUOTA, assertThrows(StoreException.class,
                    () -> box.append(message("Subject: too big\r\n\r\nfor ten bytes\r\n"))).reason());
        }
        set(component, "directory", null);
        assertEquals(-1, store.quota(ALICE).limitBytes());
        component.deactivate();
    }

    @Test
    void aStoreThatCannotOpenIsReportedDownWithoutRegistering() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "in the way");
        StoreComponent component = component();
        component.activate(context(), config(Map.of("storage_dir", notADir.toString())));
        Health health = component.check();
        assertFalse(health.up());
        assertTrue(health.detail().contains(notADir.toString()), health.detail());
        assertTrue(registered.isEmpty());
        component.deactivate();
    }

    @Test
    void aStoreInUseIsReportedAsSuch() throws Exception {
        Stores other = new Stores(dir);
        try {
            StoreComponent component = component();
            component.activate(context(), config(Map.of("storage_dir", dir.toString())));
            assertFalse(component.check().up());
            assertTrue(component.check().detail().contains("in use"), component.check().detail());
            assertTrue(registered.isEmpty());
            component.deactivate();
        } finally {
            other.close();
        }
    }

    @Test
    void storageFolderDefaults() {
        assertEquals(Path.of("/srv/mail"), StoreComponent.storageDir(" /srv/mail ", "/data"));
        assertEquals(Path.of("/data", "store"), StoreComponent.storageDir("", "/data"));
        assertEquals(Path.of("data", "store"), StoreComponent.storageDir("", null));
    }

    @Test
    void compactionSettingsAreValidated() throws Exception {
        assertEquals(Compactor.Policy.DEFAULT, StoreComponent.compaction(config(Map.of())));
        assertEquals(new Compactor.Policy(30, 1L << 20, 2L << 20, 5000), StoreComponent.compaction(config(Map.of(
                "segment_compact_below_percent", 30, "segment_compact_min_waste_mib", 1,
                "segment_compact_rate_mib", 2, "segment_compact_interval_seconds", 5))));
        Map<String, Object> bad = Map.of("segment_compact_below_percent", 101, "segment_compact_min_waste_mib", -1,
                "segment_compact_rate_mib", 0, "segment_compact_interval_seconds", -5);
        for (Map.Entry<String, Object> e : bad.entrySet()) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> StoreComponent.compaction(config(Map.of(e.getKey(), e.getValue()))));
            assertTrue(x.getMessage().contains(e.getKey().replace('_', '.')), x.getMessage());
        }

        StoreComponent component = component();
        component.activate(context(), config(Map.of("storage_dir", dir.toString(), "segment_compact_rate_mib", 0)));
        Health health = component.check();
        assertFalse(health.up());
        assertTrue(health.detail().contains("segment.compact.rate.mib"), health.detail());
        assertTrue(registered.isEmpty());
        component.deactivate();
    }

    @Test
    void expungeHistorySettingsAreValidated() throws Exception {
        assertEquals(ExpungeHistory.Policy.DEFAULT, StoreComponent.expungeHistory(config(Map.of())));
        assertEquals(new ExpungeHistory.Policy(100_000, 90), ExpungeHistory.Policy.DEFAULT);
        assertEquals(new ExpungeHistory.Policy(500, 0), StoreComponent.expungeHistory(config(Map.of(
                "expunge_history_max", 500L, "expunge_history_days", 0))));
        assertTrue(StoreComponent.expungeHistory(config(Map.of("expunge_history_max", 0L, "expunge_history_days",
                0))).unbounded());
        Map<String, Object> bad = Map.of("expunge_history_max", -1L, "expunge_history_days", -3);
        for (Map.Entry<String, Object> e : bad.entrySet()) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> StoreComponent.expungeHistory(config(Map.of(e.getKey(), e.getValue()))));
            assertTrue(x.getMessage().contains(e.getKey().replace('_', '.')), x.getMessage());
        }

        StoreComponent component = component();
        component.activate(context(), config(Map.of("storage_dir", dir.toString(), "expunge_history_days", -1)));
        Health health = component.check();
        assertFalse(health.up());
        assertTrue(health.detail().contains("expunge.history.days"), health.detail());
        assertTrue(registered.isEmpty());
        component.deactivate();

        component = component();
        component.activate(context(), config(Map.of("storage_dir", dir.toString(), "expunge_history_max", 7L,
                "expunge_history_days", 3)));
        assertTrue(component.check().up());
        assertEquals(new ExpungeHistory.Policy(7, 3), component.store().expungeHistory().policy());
        component.deactivate();
    }
}
