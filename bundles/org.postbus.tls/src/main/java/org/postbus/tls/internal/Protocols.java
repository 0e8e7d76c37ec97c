package org.postbus.tls.internal;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the TLS protocol versions to enable: the configured ones the JDK has, none below TLSv1.2. */
final class Protocols {

    /** The protocols used when none of the configured ones can be used. */
    static final List<String> DEFAULT = List.of("TLSv1.3", "TLSv1.2");

    /** Broken or deprecated (RFC 8996): refused even when configured. */
    private static final Set<String> TOO_OLD = Set.of("SSLv2", "SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");

    private static final Logger LOG = LoggerFactory.getLogger(Protocols.class);

    private Protocols() {
    }

    /**
     * The configured protocols, in their order, without duplicates, without those below TLSv1.2
     * and without those this JDK does not have; {@link #DEFAULT} if nothing is left.
     */
    static List<String> select(List<String> configured) {
        Set<String> supported = Set.of(supportedByJdk());
        Set<String> chosen = new LinkedHashSet<>();
        List<String> tooOld = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String entry : configured) {
            String protocol = entry == null ? "" : entry.trim();
            if (protocol.isEmpty()) {
                continue;
            }
            if (TOO_OLD.contains(protocol)) {
                tooOld.add(protocol);
            } else if (!supported.contains(protocol)) {
                unknown.add(protocol);
            } else {
                chosen.add(protocol);
            }
        }
        if (!tooOld.isEmpty()) {
            LOG.warn("TLS protocols {} are insecure and stay disabled; TLSv1.2 is the minimum", tooOld);
        }
        if (!unknown.isEmpty()) {
            LOG.warn("TLS protocols {} are not supported by this Java runtime and are ignored", unknown);
        }
        if (chosen.isEmpty()) {
            List<String> fallback = DEFAULT.stream().filter(supported::contains).toList();
            LOG.warn("No usable TLS protocol configured in {}; using {}", configured, fallback);
            return fallback;
        }
        return List.copyOf(chosen);
    }

    private static String[] supportedByJdk() {
        try {
            // Empty managers: no need to read the JDK's trust store just to ask for versions.
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context.getSupportedSSLParameters().getProtocols();
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            // Every Java runtime has a default TLS context; if not, assume the usual pair.
            LOG.debug("No default SSLContext", e);
            return DEFAULT.toArray(String[]::new);
        }
    }
}
