package org.postbus.directory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.directory.internal.Fixtures.addr;
import static org.postbus.directory.internal.Fixtures.pw;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.DirectoryException;
import org.postbus.api.event.DirectoryEvents;
import org.postbus.api.health.Health;

/**
 * The DS component against a minimal stand-in framework: what it registers, its health, the
 * first domain and the events it posts.
 */
class DirectoryComponentTest {

    @TempDir
    Path dir;

    /** The parts of a bundle context the component uses. */
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final List<Object> registered = new ArrayList<>();
    private final List<Event> posted = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> frameworkProperties.get((String) args[0]);
                    case "registerService" -> {
                        assertSame(Directory.class, args[0]);
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

    /** A configuration like Configuration Admin would give: defaults plus {@code values}. */
    private static DirectoryConfig config(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(values);
        all.putIfAbsent("argon2_memory_kib", 64);
        all.putIfAbsent("argon2_iterations", 1);
        return (DirectoryConfig) Proxy.newProxyInstance(DirectoryConfig.class.getClassLoader(),
                new Class<?>[] {DirectoryConfig.class},
                (proxy, method, args) -> all.containsKey(method.getName()) ? all.get(method.getName())
                        : method.getDefaultValue());
    }

    private DirectoryComponent component(String hostName) throws Exception {
        DirectoryComponent component = new DirectoryComponent();
        component.hostName = () -> hostName;
        Field eventAdmin = DirectoryComponent.class.getDeclaredField("eventAdmin");
        eventAdmin.setAccessible(true);
        eventAdmin.set(component, new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                throw new AssertionError("changes are posted, not sent");
            }
        });
        return component;
    }

    @Test
    void firstStartAddsHostNameRegistersDirectoryAndPostsEvent() throws Exception {
        frameworkProperties.put(DirectoryComponent.DATA_PROPERTY, dir.toString());
        DirectoryComponent component = component("Mail.Example.ORG");
        component.activate(context(), config(Map.of()));

        assertEquals(1, registered.size());
        Directory directory = (Directory) registered.get(0);
        assertTrue(directory.isLocalDomain("mail.example.org"));
        assertTrue(Files.exists(dir.resolve("directory/directory.json")), "under postbus.data/directory");
        Health health = component.check();
        assertTrue(health.up());
        assertEquals("1 domain, 0 accounts, 0 aliases (" + dir.resolve("directory/directory.json") + ")", health.detail());

        assertEquals(1, posted.size());
        Event event = posted.get(0);
        assertEquals(DirectoryEvents.DOMAIN_CHANGED, event.getTopic());
        assertEquals("mail.example.org", event.getProperty(DirectoryEvents.NAME));
        assertEquals("added", event.getProperty(DirectoryEvents.CHANGE));

        component.deactivate();
        assertTrue(registered.isEmpty(), "unregistered on deactivate");
        assertFalse(component.check().up());
        assertThrows(DirectoryException.class, () -> directory.addDomain("late.example"), "stale instance refuses writes");
    }

    @Test
    void configuredDefaultDomainIsAddedOnceAndUsedForBareNames() throws Exception {
        DirectoryComponent component = component("ignored.example");
        component.activate(context(), config(Map.of("storage_dir", dir.toString(), "default_domain", "Example.NET")));
        FileDirectory directory = component.directory();
        assertEquals("example.net", directory.domains().get(0).name());
        directory.addDomain("aaa.example");
        directory.addAccount(addr("bob@example.net"), pw("pw"));
        component.deactivate();

        component = component("ignored.example");
        component.activate(context(), config(Map.of("storage_dir", dir.toString(), "default_domain", "example.net")));
        assertEquals(2, component.directory().domains().size(), "not added again");
        assertTrue(component.directory().authenticate("bob", pw("pw")).succeeded());
        component.deactivate();
    }

    @Test
    void invalidHostNameIsSkipped() throws Exception {
        DirectoryComponent component = component("my_host");
        component.activate(context(), config(Map.of("storage_dir", dir.toString())));
        assertEquals(1, registered.size(), "the directory starts anyway");
        assertTrue(component.directory().domains().isEmpty());
        assertTrue(posted.isEmpty());
        component.deactivate();
    }

    @Test
    void malformedFileRegistersNothingAndHealthSaysWhy() throws Exception {
        Path file = dir.resolve("directory.json");
        Files.writeString(file, "{ \"format\": 1, ");
        DirectoryComponent component = component("mail.example.org");
        component.activate(context(), config(Map.of("storage_dir", dir.toString())));

        assertTrue(registered.isEmpty(), "no Directory service for a file that could not be read");
        assertNull(component.directory());
        Health health = component.check();
        assertFalse(health.up());
        assertTrue(health.detail().contains(file.toString()) && health.detail().contains("malformed"), health.detail());
        assertEquals("{ \"format\": 1, ", Files.readString(file), "left untouched, no domain added");
        component.deactivate();
    }

    @Test
    void invalidArgon2ConfigurationRegistersNothing() throws Exception {
        DirectoryComponent component = component("mail.example.org");
        component.activate(context(), config(Map.of("storage_dir", dir.toString(), "argon2_parallelism", 0)));
        assertTrue(registered.isEmpty());
        assertTrue(component.check().detail().contains("parallelism"), component.check().detail());
    }

    @Test
    void worksWithoutEventAdmin() throws Exception {
        DirectoryComponent component = new DirectoryComponent();
        component.hostName = () -> "mail.example.org";
        component.activate(context(), config(Map.of("storage_dir", dir.toString())));
        assertNotNull(component.directory());
        component.directory().addDomain("more.example");
        component.deactivate();
    }

    @Test
    void storageFolderFallbacks() {
        assertEquals(Path.of("/srv/dir"), DirectoryComponent.storageDir(" /srv/dir ", "/data"));
        assertEquals(Path.of("/data", "directory"), DirectoryComponent.storageDir("", "/data"));
        assertEquals(Path.of("data", "directory"), DirectoryComponent.storageDir("", null));
        assertEquals(Path.of("data", "directory"), DirectoryComponent.storageDir("", " "),
                "an unset variable substituted by fileinstall is empty");
    }

    @Test
    void settingsFromConfiguration() {
        DirectorySettings settings = DirectoryComponent.settings(config(Map.of("default_domain", "bad_domain",
                "auth_cache_seconds", 5, "lockout_failures", 4, "lockout_minutes", 2)));
        assertEquals("", settings.defaultDomain(), "invalid default domain ignored");
        assertEquals(5, settings.authCache().toSeconds());
        assertEquals(4, settings.lockoutFailures());
        assertEquals(2, settings.lockoutWindow().toMinutes());
        assertEquals(new PasswordHasher.Params(64, 1, 1), settings.argon2());
        DirectorySettings defaults = DirectoryComponent.settings(config(Map.of("argon2_memory_kib", 19456,
                "argon2_iterations", 2)));
        assertEquals(DirectorySettings.DEFAULTS, defaults);
    }
}
