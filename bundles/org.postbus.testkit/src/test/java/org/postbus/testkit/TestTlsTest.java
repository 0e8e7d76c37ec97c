package org.postbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test identity completes a real handshake with the trusting client, and its PEM is the certificate. */
@Timeout(30)
class TestTlsTest {

    @Test
    void servesAHandshakeOnLoopback() throws Exception {
        TestTls tls = TestTls.get();
        try (SSLServerSocket server = (SSLServerSocket) tls.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server.setEnabledProtocols(tls.protocols().toArray(String[]::new));
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    return accepted.getInputStream().read();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                    .createSocket("127.0.0.1", server.getLocalPort())) {
                client.startHandshake();
                assertEquals(tls.certificateChain().get(0), client.getSession().getPeerCertificates()[0]);
                client.getOutputStream().write('x');
                client.getOutputStream().flush();
                assertEquals('x', served.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void pemIsTheCertificate() throws Exception {
        TestTls tls = TestTls.get();
        assertEquals(tls.certificateChain().get(0), CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(tls.certificatePem().getBytes(StandardCharsets.US_ASCII))));
        assertTrue(tls.selfSigned());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
    }
}
