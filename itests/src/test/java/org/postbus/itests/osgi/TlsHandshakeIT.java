package org.postbus.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.postbus.api.tls.TlsService;

/**
 * The server's TLS identity works on a real socket: a listener on 127.0.0.1 using
 * {@link TlsService#sslContext()} completes a TLS 1.3 handshake with a client that trusts the
 * certificate chain the service reports, and presents exactly that chain.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TlsHandshakeIT {

    @Rule
    public final LogOnFailure logOnFailure = new LogOnFailure();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return PostbusOptions.features(TlsHandshakeIT.class);
    }

    @Test
    public void clientTrustingTheChainCompletesTls13Handshake() throws Exception {
        TlsService tls = new RunningPostbus(context).awaitService(TlsService.class);
        List<X509Certificate> chain = tls.certificateChain();
        assertFalse("the service has a certificate", chain.isEmpty());

        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = (SSLServerSocket) tls.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            listener.setSoTimeout(10_000);
            Future<String> served = executor.submit(() -> {
                try (SSLSocket connection = (SSLSocket) listener.accept()) {
                    connection.setSoTimeout(10_000);
                    String line = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                    OutputStream out = connection.getOutputStream();
                    out.write(("250 " + line + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return connection.getSession().getProtocol();
                }
            });

            try (SSLSocket client = (SSLSocket) trusting(chain).getSocketFactory()
                    .createSocket(InetAddress.getByName("127.0.0.1"), listener.getLocalPort())) {
                client.setSoTimeout(10_000);
                client.setEnabledProtocols(new String[] {"TLSv1.3"});
                client.startHandshake();
                assertEquals("TLSv1.3", client.getSession().getProtocol());
                Certificate[] presented = client.getSession().getPeerCertificates();
                assertArrayEquals("the listener presents the service's chain", chain.toArray(), presented);

                client.getOutputStream().write("EHLO itest\r\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertEquals("data flows both ways", "250 EHLO itest", reply);
            }
            assertEquals("TLSv1.3", served.get(10, TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow();
        }
    }

    /** A client context that trusts exactly the certificates of {@code chain}, nothing else. */
    private static SSLContext trusting(List<X509Certificate> chain) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < chain.size(); i++) {
            trusted.setCertificateEntry("postbus-" + i, chain.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
