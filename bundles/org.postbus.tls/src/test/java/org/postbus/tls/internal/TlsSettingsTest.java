package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    @Test
    void defaults() throws Exception {
        TlsSettings settings = TlsSettings.from(TestConfigs.tls(Map.of()), null);

        assertEquals(Optional.empty(), settings.certificateFile());
        assertEquals(Optional.empty(), settings.keyFile());
        assertFalse(settings.filesConfigured());
        assertEquals(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT), settings.hostname());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), settings.protocols());
        assertEquals(Duration.ofSeconds(5), settings.reloadInterval());
        assertEquals(Path.of("data", "tls").toAbsolutePath(), settings.storageDir());
    }

    @Test
    void storageFollowsTheDataFolder() {
        assertEquals(Path.of("/var/lib/postbus/tls"),
                TlsSettings.from(TestConfigs.tls(Map.of()), "/var/lib/postbus").storageDir());
        assertEquals(Path.of("/srv/tls"),
                TlsSettings.from(TestConfigs.tls(Map.of("storage.dir", "/srv/tls")), "/var/lib/postbus").storageDir());
    }

    @Test
    void configuredFiles() {
        TlsSettings settings = TlsSettings.from(TestConfigs.tls(Map.of(
                "certificate.file", " /etc/postbus/fullchain.pem ",
                "key.file", "/etc/postbus/privkey.pem",
                "hostname", "Mail.Example.ORG.",
                "protocols", new String[] {"TLSv1.1", "TLSv1.3"},
                "reload.interval.seconds", -3)), null);

        assertTrue(settings.filesConfigured());
        assertEquals(Optional.of(Path.of("/etc/postbus/fullchain.pem")), settings.certificateFile());
        assertEquals(Optional.of(Path.of("/etc/postbus/privkey.pem")), settings.effectiveKeyFile());
        assertEquals("mail.example.org", settings.hostname());
        assertEquals(List.of("TLSv1.3"), settings.protocols());
        assertEquals(Duration.ZERO, settings.reloadInterval());
    }

    @Test
    void keyDefaultsToTheCertificateFile() {
        TlsSettings settings = TlsSettings.from(TestConfigs.tls(Map.of("certificate.file", "/etc/combined.pem")), null);

        assertEquals(Optional.of(Path.of("/etc/combined.pem")), settings.effectiveKeyFile());
    }

    @Test
    void internationalHostNameIsPunycode() {
        assertEquals("xn--bcher-kva.example", TlsSettings.hostname("bücher.example"));
    }

    @Test
    void asciiHostNamesGetTheSameChecksAsIdn() {
        for (String name : List.of("mail.example.org", "Mail.Example.ORG", "localhost", "a-b.c", "x".repeat(63) + ".test",
                "a..b", ".a", "x".repeat(64) + ".test", "under_score.example")) {
            String viaIdn;
            try {
                viaIdn = java.net.IDN.toASCII(name, java.net.IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                viaIdn = "refused";
            }
            String ours;
            try {
                ours = TlsSettings.toAscii(name);
            } catch (IllegalArgumentException e) {
                ours = "refused";
            }
            assertEquals(viaIdn, ours, name);
        }
        assertEquals("localhost", TlsSettings.hostname("a..b"));
    }
}
