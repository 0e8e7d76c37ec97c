package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TlsHandshakeTest {

    @TempDir
    Path temp;

    private TlsIdentityManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void selfSignedCertificateServesTls13() throws Exception {
        manager = started(TestSettings.selfSigned(temp));
        var trusted = manager.certificateChain().get(0);

        Handshakes.Result result = Handshakes.handshake(manager.sslContext(), trusted, "TLSv1.3", "TLSv1.2");

        assertEquals("TLSv1.3", result.protocol());
        assertEquals(trusted, result.peer());
    }

    @Test
    void configuredRsaChainIsPresented() throws Exception {
        TestPki.Issued ca = TestPki.ca("Handshake CA");
        TestPki.Issued server = TestPki.server("rsa.example.test", TestPki.rsa(), ca);
        Path certificate = TestPki.write(temp.resolve("fullchain.pem"), TestPki.pem(server.certificate(), ca.certificate()));
        Path key = TestPki.write(temp.resolve("privkey.pem"), TestPki.pem(server.keys().getPrivate()));
        manager = started(TestSettings.files(certificate, key, temp.resolve("tls")));

        // The client trusts only the CA, so the intermediate-free chain must verify from the leaf up.
        Handshakes.Result result = Handshakes.handshake(manager.sslContext(), ca.certificate(), "TLSv1.3");

        assertFalse(manager.selfSigned());
        assertEquals("TLSv1.3", result.protocol());
        assertEquals(server.certificate(), result.peer());
    }

    @Test
    void configuredEcCertificateIsPresentedOverTls12() throws Exception {
        TestPki.Issued ca = TestPki.ca("Handshake CA");
        TestPki.Issued server = TestPki.server("ec.example.test", TestPki.ec(), ca);
        Path certificate = TestPki.write(temp.resolve("cert.pem"), TestPki.pem(server.certificate()));
        Path key = TestPki.write(temp.resolve("key.pem"), TestPki.sec1(server.keys()));
        manager = started(TestSettings.files(certificate, key, temp.resolve("tls")));

        assertFalse(manager.selfSigned(), manager.health().detail());
        Handshakes.Result result = Handshakes.handshake(manager.sslContext(), ca.certificate(), "TLSv1.2");

        assertEquals("TLSv1.2", result.protocol());
        assertEquals(server.certificate(), result.peer());
    }

    @Test
    void tls11ClientIsRefusedByTheServer() throws Exception {
        manager = started(TestSettings.selfSigned(temp));
        var trusted = manager.certificateChain().get(0);
        // Control: in this JVM (see legacy-tls-allowed.security) an unrestricted context with
        // the same key does speak TLSv1.1, so the refusal below is the service's doing.
        assertEquals("TLSv1.1", Handshakes.handshake(unrestricted(manager), trusted, "TLSv1.1").protocol());

        assertThrows(IOException.class, () -> Handshakes.handshake(manager.sslContext(), trusted, "TLSv1.1"));
    }

    @Test
    void configuredOldProtocolsAreDropped() throws Exception {
        TlsSettings settings = new TlsSettings(Optional.empty(), Optional.empty(), TestSettings.HOST,
                Protocols.select(List.of("TLSv1", "TLSv1.1", "TLSv1.2")), Duration.ZERO, temp);
        manager = started(settings);
        var trusted = manager.certificateChain().get(0);

        assertEquals(List.of("TLSv1.2"), manager.protocols());
        assertThrows(IOException.class, () -> Handshakes.handshake(manager.sslContext(), trusted, "TLSv1.1"));
        assertThrows(IOException.class, () -> Handshakes.handshake(manager.sslContext(), trusted, "TLSv1.3"));
        assertEquals("TLSv1.2", Handshakes.handshake(manager.sslContext(), trusted, "TLSv1.3", "TLSv1.2").protocol());
    }

    @Test
    void everyWayOfUsingTheContextIsRestricted() throws Exception {
        TlsSettings settings = new TlsSettings(Optional.empty(), Optional.empty(), TestSettings.HOST,
                List.of("TLSv1.3"), Duration.ZERO, temp);
        manager = started(settings);
        SSLContext context = manager.sslContext();
        String[] only13 = {"TLSv1.3"};

        SSLEngine engine = context.createSSLEngine();
        assertArrayEquals(only13, engine.getEnabledProtocols());
        assertArrayEquals(only13, context.createSSLEngine("peer.example.test", 25).getEnabledProtocols());
        assertArrayEquals(only13, context.getDefaultSSLParameters().getProtocols());
        try (SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket()) {
            assertArrayEquals(only13, socket.getEnabledProtocols());
        }
        try (var socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket()) {
            assertArrayEquals(only13, socket.getEnabledProtocols());
        }
        assertEquals("SunJSSE", context.getProvider().getName());
        assertThrows(java.security.KeyManagementException.class, () -> context.init(null, null, null));
    }

    @Test
    void bouncyCastleIsNotRegisteredAsProvider() throws Exception {
        manager = started(TestSettings.selfSigned(temp));

        assertEquals(null, java.security.Security.getProvider("BC"));
    }

    private static TlsIdentityManager started(TlsSettings settings) throws Exception {
        TlsIdentityManager started = new TlsIdentityManager(settings, Clock.systemUTC());
        started.start();
        return started;
    }

    /** A plain JDK context with the stored self-signed key, no protocol restriction. */
    private SSLContext unrestricted(TlsIdentityManager manager) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        store.setKeyEntry("server", PemLoader.readPrivateKey(temp.resolve(SelfSignedStore.KEY_FILE)), password,
                manager.certificateChain().toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
