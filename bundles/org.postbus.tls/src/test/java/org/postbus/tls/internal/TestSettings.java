package org.postbus.tls.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings for tests, without going through a configuration. */
final class TestSettings {

    static final String HOST = "mail.example.test";

    private TestSettings() {
    }

    static TlsSettings selfSigned(Path storage) {
        return selfSigned(storage, HOST);
    }

    static TlsSettings selfSigned(Path storage, String host) {
        return new TlsSettings(Optional.empty(), Optional.empty(), host, Protocols.DEFAULT, Duration.ZERO, storage);
    }

    /** Configured files, checked every second. */
    static TlsSettings files(Path certificate, Path key, Path storage) {
        return new TlsSettings(Optional.of(certificate), Optional.ofNullable(key), HOST, Protocols.DEFAULT,
                Duration.ofSeconds(1), storage);
    }
}
