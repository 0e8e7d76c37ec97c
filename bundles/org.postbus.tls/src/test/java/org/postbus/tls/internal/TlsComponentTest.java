package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.tls.TlsService;

/** The DS component with its real collaborators, activated the way SCR does. */
@Timeout(60)
class TlsComponentTest {

    @TempDir
    Path temp;

    @Test
    void descriptorRegistersBothServicesUnderThePid() throws Exception {
        String xml = resource("OSGI-INF/org.postbus.tls.xml");

        assertTrue(xml.contains("name=\"org.postbus.tls\""), xml);
        assertTrue(xml.contains("configuration-pid=\"org.postbus.tls\""), xml);
        assertTrue(xml.contains("<provide interface=\"" + TlsService.class.getName() + "\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"" + HealthCheck.class.getName() + "\"/>"), xml);
        assertTrue(xml.contains("<property name=\"" + HealthCheck.NAME + "\" type=\"String\" value=\"tls\"/>"), xml);
        assertTrue(xml.contains("modified=\"modified\"") && xml.contains("deactivate=\"deactivate\""), xml);
    }

    @Test
    void metatypeOffersTheDocumentedKeys() throws Exception {
        String xml = resource("OSGI-INF/metatype/" + TlsConfiguration.class.getName() + ".xml");

        for (String key : List.of("certificate.file", "key.file", "hostname", "protocols",
                "reload.interval.seconds", "storage.dir")) {
            assertTrue(xml.contains("<AD id=\"" + key + "\""), key + " in " + xml);
        }
        assertTrue(xml.contains("<Designate pid=\"org.postbus.tls\">"), xml);
    }

    @Test
    void startsWithoutConfigurationOnASelfSignedCertificateInTheDataFolder() throws Exception {
        TlsComponent component = new TlsComponent(TestConfigs.tls(Map.of("hostname", "mx.example.test")),
                context(temp.toString()));
        try {
            assertTrue(component.selfSigned());
            assertTrue(Files.exists(temp.resolve("tls/selfsigned.crt")));
            assertTrue(Files.exists(temp.resolve("tls/selfsigned.key")));
            assertEquals(List.of("TLSv1.3", "TLSv1.2"), component.protocols());
            assertEquals("CN=mx.example.test", component.certificateChain().get(0).getSubjectX500Principal().getName());
            Health health = component.check();
            assertTrue(health.up(), health.detail());
            var peer = Handshakes.handshake(component.sslContext(), component.certificateChain().get(0), "TLSv1.3");
            assertEquals(component.certificateChain().get(0), peer.peer());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void missingConfiguredFileKeepsTheServiceUpAndSaysWhich() throws Exception {
        Path missing = temp.resolve("etc/fullchain.pem");
        TlsComponent component = new TlsComponent(TestConfigs.tls(Map.of(
                "certificate.file", missing.toString(),
                "key.file", temp.resolve("etc/privkey.pem").toString(),
                "storage.dir", temp.resolve("tls").toString())), context(null));
        try {
            assertTrue(component.selfSigned());
            assertNotNull(component.sslContext());
            Health health = component.check();
            assertTrue(health.up());
            assertTrue(health.detail().contains("TLS certificate " + missing + " is missing"), health.detail());
            assertEquals(1, TlsReloadTest.reloadThreads(), "watching for the file to appear");
        } finally {
            component.deactivate();
        }
        assertEquals(0, TlsReloadTest.reloadThreads());
    }

    @Test
    void modifiedConfigurationSwitchesCertificatesAndKeepsAWorkingOneOnError() throws Exception {
        TestPki.Issued ca = TestPki.ca("Component CA");
        TestPki.Issued server = TestPki.server("mail.example.test", TestPki.ec(), ca);
        Path certificate = TestPki.write(temp.resolve("etc/cert.pem"), TestPki.pem(server.certificate()));
        Path key = TestPki.write(temp.resolve("etc/key.pem"), TestPki.pkcs8(server.keys().getPrivate()));
        TlsComponent component = new TlsComponent(TestConfigs.tls(Map.of()), context(temp.toString()));
        try {
            assertTrue(component.selfSigned());

            component.modified(TestConfigs.tls(Map.of("certificate.file", certificate.toString(),
                    "key.file", key.toString(), "protocols", new String[] {"TLSv1.2"})));
            assertFalse(component.selfSigned());
            assertEquals(List.of("TLSv1.2"), component.protocols());
            assertEquals("TLSv1.2",
                    Handshakes.handshake(component.sslContext(), ca.certificate(), "TLSv1.3", "TLSv1.2").protocol());

            Path broken = TestPki.write(temp.resolve("etc/other.pem"), "nothing here");
            component.modified(TestConfigs.tls(Map.of("certificate.file", broken.toString(), "key.file", key.toString())));
            assertFalse(component.selfSigned(), "the working configured certificate stays");
            assertEquals(server.certificate(), component.certificateChain().get(0));
            assertTrue(component.check().detail().contains("TLS certificate " + broken + " holds no PEM certificate"),
                    component.check().detail());
            assertEquals(List.of("TLSv1.3", "TLSv1.2"), component.protocols());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void writesTheHttpsKeystoreOnceAndTouchesJettysConfigurationOnlyWhenItWroteIt() throws Exception {
        Path keystore = temp.resolve("tls/https.p12");
        FakeHttpConfiguration http = new FakeHttpConfiguration(keystore);

        TlsComponent first = new TlsComponent(TestConfigs.tls(Map.of("hostname", "mx.example.test")),
                context(temp.toString()));
        try {
            first.bindConfigurationAdmin(http.admin());
            assertTrue(Files.exists(keystore));
            assertEquals(1, http.updates.size(), "Jetty is told once, after the write");
            assertEquals(HttpsKeystore.fingerprint(first.certificateChain().get(0)),
                    http.updates.get(0).get(HttpsKeystore.FINGERPRINT));
        } finally {
            first.deactivate();
        }
        byte[] written = Files.readAllBytes(keystore);

        // A restart: the keystore on disk is right, so it is neither rewritten nor announced.
        FakeHttpConfiguration again = new FakeHttpConfiguration(keystore);
        TlsComponent second = new TlsComponent(TestConfigs.tls(Map.of("hostname", "mx.example.test")),
                context(temp.toString()));
        try {
            second.bindConfigurationAdmin(again.admin());
            second.configurationEvent(new org.osgi.service.cm.ConfigurationEvent(
                    proxy(org.osgi.framework.ServiceReference.class, (p, m, a) -> null),
                    org.osgi.service.cm.ConfigurationEvent.CM_UPDATED, null, HttpsKeystore.HTTP_PID));
            assertEquals(List.of(), again.updates);
            assertTrue(java.util.Arrays.equals(written, Files.readAllBytes(keystore)));

            // A damaged keystore is written again and announced.
            Files.write(keystore, new byte[] {1, 2, 3});
            second.configurationEvent(new org.osgi.service.cm.ConfigurationEvent(
                    proxy(org.osgi.framework.ServiceReference.class, (p, m, a) -> null),
                    org.osgi.service.cm.ConfigurationEvent.CM_UPDATED, null, HttpsKeystore.HTTP_PID));
            assertEquals(1, again.updates.size());
            assertTrue(Files.size(keystore) > 3);
        } finally {
            second.deactivate();
        }
    }

    /** Felix HTTP's configuration as Configuration Admin holds it, recording the updates made to it. */
    private static final class FakeHttpConfiguration {

        final List<java.util.Dictionary<String, Object>> updates = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();

        FakeHttpConfiguration(Path keystore) {
            properties.put(HttpsKeystore.ENABLE, "true");
            properties.put(HttpsKeystore.KEYSTORE, keystore.toString());
            properties.put(HttpsKeystore.PASSWORD, "postbus-https");
        }

        org.osgi.service.cm.ConfigurationAdmin admin() {
            org.osgi.service.cm.Configuration configuration = proxy(org.osgi.service.cm.Configuration.class,
                    (p, method, args) -> switch (method.getName()) {
                        case "getProperties" -> new java.util.Hashtable<>(properties);
                        case "update" -> {
                            @SuppressWarnings("unchecked")
                            java.util.Dictionary<String, Object> changed = (java.util.Dictionary<String, Object>) args[0];
                            updates.add(changed);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return proxy(org.osgi.service.cm.ConfigurationAdmin.class, (p, method, args) -> {
                if (method.getName().equals("listConfigurations")) {
                    return new org.osgi.service.cm.Configuration[] {configuration};
                }
                throw new UnsupportedOperationException(method.getName());
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static BundleContext context(String dataDir) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty") && TlsSettings.DATA_DIR_PROPERTY.equals(args[0])) {
                        return dataDir;
                    }
                    if (method.getName().equals("getProperty")) {
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = TlsComponentTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " generated by bnd");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
