package org.postbus.tls.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's default trust manager, made when a peer's certificate is first checked.
 *
 * <p>A server context asks for no client certificate, so its trust manager is seldom used; yet
 * making it reads and parses the JDK's {@code cacerts} (about 150 certificates, 30 to 60 ms of CPU
 * at start). Deferring it keeps that off the start-up path while the context still trusts exactly
 * what {@code SSLContext.init(keys, null, null)} would.
 */
final class TrustOnDemand extends X509ExtendedTrustManager {

    private volatile X509ExtendedTrustManager delegate;

    private X509ExtendedTrustManager delegate() throws CertificateException {
        X509ExtendedTrustManager current = delegate;
        if (current == null) {
            synchronized (this) {
                current = delegate;
                if (current == null) {
                    try {
                        current = load();
                    } catch (GeneralSecurityException e) {
                        throw new CertificateException("the default trust store cannot be read: " + e.getMessage(), e);
                    }
                    delegate = current;
                }
            }
        }
        return current;
    }

    private static X509ExtendedTrustManager load() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in " + factory.getAlgorithm());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        try {
            return delegate().getAcceptedIssuers();
        } catch (CertificateException e) {
            // Trusting no issuer is what a failed check would amount to as well.
            return new X509Certificate[0];
        }
    }
}
