package org.postbus.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client TLS contexts of the queue.
 *
 * <p>The opportunistic one accepts any certificate: without MTA-STS, DANE or REQUIRETLS an MX
 * host's name is not authenticated anyway (RFC 7435), and refusing a self-signed certificate
 * would only push the mail back to plain text. The verifying one trusts the JDK's certificate
 * authorities plus an optional extra trust store (a private CA, or a test certificate); host
 * names are checked on the socket, not here.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    static SSLContext opportunistic() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AcceptAll()}, null);
        return context;
    }

    /**
     * A context that verifies the server's chain against the JDK's trust anchors and those of
     * {@code extraStore} (PKCS12 or JKS), if given.
     */
    static SSLContext verifying(String extraStore, String password) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(extraStore, password), null);
        return context;
    }

    static TrustManager[] trustManagers(String extraStore, String password) throws GeneralSecurityException,
            IOException {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        if (extraStore == null || extraStore.isBlank()) {
            return jdk.getTrustManagers();
        }
        KeyStore combined = KeyStore.getInstance(KeyStore.getDefaultType());
        combined.load(null, null);
        int n = 0;
        for (TrustManager tm : jdk.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    combined.setCertificateEntry("jdk-" + n++, c);
                }
            }
        }
        KeyStore extra = KeyStore.getInstance("PKCS12");
        char[] pw = password == null ? new char[0] : password.toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(extraStore.strip()))) {
            extra.load(in, pw);
        }
        for (Enumeration<String> aliases = extra.aliases(); aliases.hasMoreElements();) {
            String alias = aliases.nextElement();
            Certificate c = extra.getCertificate(alias);
            if (c != null) {
                combined.setCertificateEntry("extra-" + alias, c);
            }
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(combined);
        return f.getTrustManagers();
    }

    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }
    }
}
