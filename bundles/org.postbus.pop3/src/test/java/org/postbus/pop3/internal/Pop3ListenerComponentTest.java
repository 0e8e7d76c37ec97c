package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.testkit.LogCapture;

/** The DS component as SCR activates it: descriptor, metatype, settings, health check, a busy port. */
@Timeout(30)
class Pop3ListenerComponentTest {

    /** What the fake bundle context registered. */
    record Registered(Object service, Dictionary<String, ?> properties) {
    }

    private final List<Registered> registered = new ArrayList<>();
    private final List<String> unregistered = new ArrayList<>();

    @Test
    void descriptorIsAFactoryConfigurationWithDynamicOptionalServices() throws Exception {
        String xml = resource("OSGI-INF/org.postbus.pop3.listener.xml");
        assertTrue(xml.contains("name=\"org.postbus.pop3.listener\""), xml);
        assertTrue(xml.contains("configuration-policy=\"require\""), xml);
        for (String service : List.of("org.postbus.api.directory.Directory", "org.postbus.api.store.MailStore",
                "org.postbus.api.tls.TlsService")) {
            String reference = xml.lines().filter(line -> line.contains("interface=\"" + service + "\""))
                    .findFirst().orElseThrow(() -> new AssertionError(service + " in " + xml));
            assertTrue(reference.contains("cardinality=\"0..1\"") && reference.contains("policy=\"dynamic\"")
                    && reference.contains("policy-option=\"greedy\""), reference);
        }
        assertFalse(xml.contains("<service"), "registers its health check itself");
    }

    @Test
    void metatypeOffersTheDocumentedKeys() throws Exception {
        String xml = resource("OSGI-INF/metatype/" + ListenerConfig.class.getName() + ".xml");
        for (String key : List.of("name", "host", "port", "implicit.tls", "starttls", "auth.plaintext.loopback",
                "max.line.length", "command.timeout.seconds", "idle.timeout.seconds", "max.connections",
                "max.connections.per.ip", "max.connections.per.user", "max.errors", "max.auth.failures",
                "auth.failure.delay.millis", "lockout.failures", "lockout.seconds", "hostname")) {
            assertTrue(xml.contains("<AD id=\"" + key + "\""), key + " in " + xml);
        }
        assertTrue(xml.contains("<Designate factoryPid=\"org.postbus.pop3.listener\">"), xml);
    }

    @Test
    void settingsFollowTheConfiguration() {
        ListenerSettings settings = ListenerSettings.from(config(Map.of("implicit.tls", true, "port", 1995,
                "max.connections.per.user", 1)), "org.postbus.pop3.listener~pop3s");
        assertEquals("pop3s", settings.name());
        assertEquals("pop3-pop3s", settings.healthName());
        assertEquals("POSTBUS_POP3S_PORT", settings.portVariable());
        assertTrue(settings.implicitTls());
        assertEquals(1995, settings.port());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(Duration.ofMinutes(10), settings.idleTimeout());
        assertEquals(1, settings.maxConnectionsPerUser());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenerSettings.from(config(Map.of("idle.timeout.seconds", 60)), null));
        assertTrue(e.getMessage().contains("RFC 1939"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(config(Map.of("max.line.length", 100)), null));
    }

    @Test
    void listensAndReportsHealthUnderItsName() throws Exception {
        Pop3ListenerComponent component = new Pop3ListenerComponent();
        component.activate(context(), config(Map.of("port", 0)), Map.of("service.pid", "org.postbus.pop3.listener~pop3"));
        try {
            Registered health = registered.get(0);
            assertEquals("pop3-pop3", health.properties().get(HealthCheck.NAME));
            int port = component.listener().localAddress().getPort();
            assertEquals(Health.up("listening on 127.0.0.1:" + port), ((HealthCheck) health.service()).check());
            try (Pop3Client client = new Pop3Client(port)) {
                assertEquals("+OK Postbus POP3 server ready", client.line());
                client.expect("CAPA", "+OK");
                assertFalse(client.body().contains("STLS"), "no TLS service bound");
                client.expect("USER alice", "+OK");
                client.expect("PASS secret", "-ERR [SYS/TEMP] Authentication not available now");
                client.expect("QUIT", "+OK");
            }
        } finally {
            component.deactivate();
        }
        assertEquals(List.of("unregistered"), unregistered);
    }

    @Test
    void busyPortLogsOneErrorLineAndReportsDown() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                LogCapture log = new LogCapture()) {
            int port = busy.getLocalPort();
            Pop3ListenerComponent component = new Pop3ListenerComponent();
            component.activate(context(), config(Map.of("port", port)),
                    Map.of("service.pid", "org.postbus.pop3.listener~pop3"));
            try {
                List<String> errors = log.lines("ERROR");
                assertEquals(1, errors.size(), String.join("\n", log.lines()));
                assertTrue(errors.get(0).contains("POP3 listener 'pop3' cannot listen on 127.0.0.1:" + port), errors.get(0));
                assertTrue(errors.get(0).contains("etc/org.postbus.pop3.listener-pop3.cfg (or set POSTBUS_POP3_PORT)"),
                        errors.get(0));
                assertFalse(log.lines().stream().anyMatch(line -> line.startsWith("\tat ")), "no stack trace");
                Health health = ((HealthCheck) registered.get(0).service()).check();
                assertFalse(health.up());
                assertTrue(health.detail().startsWith("cannot listen on 127.0.0.1:" + port), health.detail());
            } finally {
                component.deactivate();
            }
        }
    }

    @Test
    void invalidConfigurationIsReportedNotThrown() throws Exception {
        try (LogCapture log = new LogCapture()) {
            Pop3ListenerComponent component = new Pop3ListenerComponent();
            component.activate(context(), config(Map.of("idle.timeout.seconds", 5, "name", "odd")), Map.of());
            try {
                assertEquals(1, log.lines("ERROR").size(), String.join("\n", log.lines()));
                assertEquals("pop3-odd", registered.get(0).properties().get(HealthCheck.NAME));
                assertFalse(((HealthCheck) registered.get(0).service()).check().up());
            } finally {
                component.deactivate();
            }
        }
    }

    /** A {@link ListenerConfig} as SCR would make it: the annotation's defaults, some overridden by key. */
    static ListenerConfig config(Map<String, Object> values) {
        return (ListenerConfig) Proxy.newProxyInstance(ListenerConfig.class.getClassLoader(),
                new Class<?>[] {ListenerConfig.class}, (proxy, method, args) -> {
                    String key = method.getName().replace("_", ".");
                    if (values.containsKey(key)) {
                        return values.get(key);
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> ListenerConfig.class;
                        case "toString" -> "ListenerConfig" + values;
                        case "hashCode" -> values.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> null;
                    case "registerService" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, ?> properties = (Dictionary<String, ?>) args[2];
                        registered.add(new Registered(args[1], properties));
                        yield Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        unregistered.add("unregistered");
                                    }
                                    return null;
                                });
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = Pop3ListenerComponent.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError(name + " not generated");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
