package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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

/** The DS component as SCR activates it: descriptor, metatype, health check, a busy port. */
@Timeout(30)
class SmtpListenerComponentTest {

    /** What the fake bundle context registered. */
    record Registered(Object service, Dictionary<String, ?> properties) {
    }

    private final List<Registered> registered = new ArrayList<>();
    private final List<String> unregistered = new ArrayList<>();

    @Test
    void descriptorIsAFactoryConfigurationWithDynamicOptionalServices() throws Exception {
        String xml = resource("OSGI-INF/org.postbus.smtp.listener.xml");
        assertTrue(xml.contains("name=\"org.postbus.smtp.listener\""), xml);
        assertTrue(xml.contains("configuration-policy=\"require\""), xml);
        for (String service : List.of("org.postbus.api.directory.Directory", "org.postbus.api.delivery.DeliveryService",
                "org.postbus.api.tls.TlsService")) {
            String reference = xml.lines().filter(line -> line.contains("interface=\"" + service + "\""))
                    .findFirst().orElseThrow(() -> new AssertionError(service + " in " + xml));
            assertTrue(reference.contains("cardinality=\"0..1\"") && reference.contains("policy=\"dynamic\"")
                    && reference.contains("policy-option=\"greedy\""), reference);
        }
        assertTrue(xml.contains("activate=\"activate\"") && xml.contains("deactivate=\"deactivate\""), xml);
        assertFalse(xml.contains("<service"), "registers its health check itself");
    }

    @Test
    void metatypeOffersTheDocumentedKeys() throws Exception {
        String xml = resource("OSGI-INF/metatype/" + ListenerConfig.class.getName() + ".xml");
        for (String key : List.of("name", "host", "port", "mode", "implicit.tls", "starttls", "auth.required",
                "auth.plaintext.loopback", "sender.check", "max.message.size", "max.recipients", "max.line.length",
                "command.timeout.seconds", "idle.timeout.seconds", "max.connections", "max.connections.per.ip",
                "hostname")) {
            assertTrue(xml.contains("<AD id=\"" + key + "\""), key + " in " + xml);
        }
        assertTrue(xml.contains("<Designate factoryPid=\"org.postbus.smtp.listener\">"), xml);
    }

    @Test
    void listensAndReportsHealthUnderItsName() throws Exception {
        SmtpListenerComponent component = new SmtpListenerComponent();
        component.activate(context(), TestConfigs.listener(Map.of("port", 0, "hostname", "mx.example.test")),
                Map.of("service.pid", "org.postbus.smtp.listener~mta"));
        try {
            Registered health = registered.get(0);
            assertEquals("smtp-mta", health.properties().get(HealthCheck.NAME));
            int port = component.listener().localAddress().getPort();
            Health state = ((HealthCheck) health.service()).check();
            assertEquals(Health.up("listening on 127.0.0.1:" + port), state);
            try (SmtpClient client = new SmtpClient(port)) {
                client.expectReply("220 mx.example.test ESMTP");
                client.expect("EHLO c", "250");
                client.expect("MAIL FROM:<>", "250");
                client.expect("RCPT TO:<a@example.org>", "451 4.3.0");
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
            SmtpListenerComponent component = new SmtpListenerComponent();
            component.activate(context(), TestConfigs.listener(Map.of("port", port)),
                    Map.of("service.pid", "org.postbus.smtp.listener~mta"));
            try {
                List<String> errors = log.lines("ERROR");
                assertEquals(1, errors.size(), String.join("\n", log.lines()));
                assertTrue(errors.get(0).contains("SMTP listener 'mta' cannot listen on 127.0.0.1:" + port), errors.get(0));
                assertTrue(errors.get(0).contains("etc/org.postbus.smtp.listener-mta.cfg (or set POSTBUS_SMTP_PORT)"),
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
            SmtpListenerComponent component = new SmtpListenerComponent();
            component.activate(context(), TestConfigs.listener(Map.of("mode", "RELAY", "name", "odd")), Map.of());
            try {
                assertEquals(1, log.lines("ERROR").size(), String.join("\n", log.lines()));
                assertEquals("smtp-odd", registered.get(0).properties().get(HealthCheck.NAME));
                assertFalse(((HealthCheck) registered.get(0).service()).check().up());
            } finally {
                component.deactivate();
            }
        }
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
        try (InputStream in = SmtpListenerComponent.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError(name + " not generated");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
