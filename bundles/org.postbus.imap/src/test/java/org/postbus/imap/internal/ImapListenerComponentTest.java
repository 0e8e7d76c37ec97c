package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.BundleContext;
import org.postbus.api.health.HealthCheck;
import org.postbus.imap.internal.session.SessionRegistry;

/** The DS component: typed configuration with its defaults, the listener bound, the health check registered. */
@Timeout(30)
class ImapListenerComponentTest {

    @Test
    void activatesWithConfigurationAndRegistersItsHealthCheck() throws Exception {
        Map<String, Object> overrides = Map.of("port", 0);
        ListenerConfig config = (ListenerConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ListenerConfig.class}, (proxy, method, args) ->
                        overrides.getOrDefault(method.getName(), method.getDefaultValue()));
        Map<String, Object> registered = new HashMap<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        Dictionary<?, ?> properties = (Dictionary<?, ?>) args[2];
                        registered.put((String) properties.get(HealthCheck.NAME), args[1]);
                    }
                    return null;
                });
        ImapListenerComponent component = new ImapListenerComponent();
        java.lang.reflect.Field registry = ImapListenerComponent.class.getDeclaredField("registry");
        registry.setAccessible(true);
        registry.set(component, new SessionRegistry());
        component.activate(context, config, Map.of("service.pid", "org.postbus.imap.listener~imap"));
        try {
            HealthCheck check = (HealthCheck) registered.get("imap-imap");
            assertTrue(check.check().up(), check.check().detail());
            assertEquals("127.0.0.1", component.listener().localAddress().getAddress().getHostAddress());
            try (ImapClient c = new ImapClient(component.listener().localAddress().getPort())) {
                String greeting = c.read();
                assertTrue(greeting.startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2"), greeting);
                java.util.List<String> login = c.command("a", "LOGIN alice secret");
                assertTrue(login.get(login.size() - 1).startsWith("a NO [UNAVAILABLE]"), login.toString());
            }
        } finally {
            component.deactivate();
        }
    }
}
