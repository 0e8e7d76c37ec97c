package org.postbus.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Real TLS handshakes over real sockets on 127.0.0.1. */
final class Handshakes {

    /** What the client saw. */
    record Result(String protocol, X509Certificate peer) {
    }

    private Handshakes() {
    }

    /**
     * Serves one connection with the server context and connects a client that trusts only
     * {@code trusted}, checks the server's name against 127.0.0.1, and enables only
     * {@code clientProtocols}.
     *
     * @throws IOException if the handshake fails
     */
    static Result handshake(SSLContext server, X509Certificate trusted, String... clientProtocols) throws Exception {
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            listener.setSoTimeout(10_000);
            Future<?> served = acceptor.submit(() -> {
                try (SSLSocket connection = (SSLSocket) listener.accept()) {
                    connection.setSoTimeout(10_000);
                    connection.startHandshake();
                    connection.getOutputStream().write('+');
                    connection.getOutputStream().flush();
                    // Wait for the client to close, so it can read the byte first.
                    connection.getInputStream().read();
                } catch (IOException e) {
                    // The client reports the failure.
                }
                return null;
            });
            try (SSLSocket client = (SSLSocket) client(trusted).getSocketFactory().createSocket()) {
                client.connect(new InetSocketAddress(loopback, listener.getLocalPort()), 10_000);
                client.setSoTimeout(10_000);
                client.setEnabledProtocols(clientProtocols);
                SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                client.startHandshake();
                InputStream in = client.getInputStream();
                if (in.read() != '+') {
                    throw new IOException("server sent nothing after the handshake");
                }
                return new Result(client.getSession().getProtocol(),
                        (X509Certificate) client.getSession().getPeerCertificates()[0]);
            } finally {
                served.get(20, TimeUnit.SECONDS);
            }
        } finally {
            acceptor.shutdownNow();
        }
    }

    static SSLContext client(X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("trusted", trusted);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
