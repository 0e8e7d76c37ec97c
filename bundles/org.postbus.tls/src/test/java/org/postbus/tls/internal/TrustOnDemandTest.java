package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustOnDemandTest {

    @TempDir
    java.nio.file.Path temp;

    @Test
    void trustsWhatTheDefaultTrustManagerTrusts() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        X509TrustManager jdk = (X509TrustManager) factory.getTrustManagers()[0];

        X509Certificate[] issuers = new TrustOnDemand().getAcceptedIssuers();

        assertTrue(issuers.length > 0);
        assertEquals(names(jdk.getAcceptedIssuers()), names(issuers));
    }

    @Test
    void refusesAnUnknownSelfSignedPeer() throws Exception {
        TlsIdentity stranger = new SelfSignedStore(temp, Clock.systemUTC()).generate("stranger.example.test");
        X509Certificate[] chain = stranger.chain().toArray(X509Certificate[]::new);
        TrustOnDemand trust = new TrustOnDemand();

        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(chain, "ECDHE_ECDSA"));
        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(chain, "EC"));
    }

    private static Set<String> names(X509Certificate[] certificates) {
        return Stream.of(certificates).map(c -> c.getSubjectX500Principal().getName()).collect(Collectors.toSet());
    }
}
