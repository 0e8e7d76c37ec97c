package org.postbus.tls.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain.
 *
 * @param key the private key of the leaf certificate
 * @param chain the certificate chain, leaf first, never empty
 * @param selfSigned whether this is the generated self-signed identity
 * @param source where it came from, for logs and health: a file name or the host name
 */
record TlsIdentity(PrivateKey key, List<X509Certificate> chain, boolean selfSigned, String source) {

    TlsIdentity {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        Objects.requireNonNull(source, "source");
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    Instant expiry() {
        return leaf().getNotAfter().toInstant();
    }

    String subject() {
        return leaf().getSubjectX500Principal().getName();
    }

    /** Whether the leaf certificate is valid at the given time. */
    boolean validAt(Instant when) {
        return !when.isBefore(leaf().getNotBefore().toInstant()) && !when.isAfter(expiry());
    }

    /** For logs and health: "the self-signed certificate for mail.example.org" and the like. */
    String describe() {
        return selfSigned
                ? "the self-signed certificate for " + source
                : "the certificate " + subject() + " from " + source;
    }
}
