package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedStoreTest {

    @TempDir
    Path temp;

    @Test
    void firstStartWritesCertificateAndOwnerOnlyKey() throws Exception {
        Path storage = temp.resolve("data/tls");
        try (TlsIdentityManager manager = new TlsIdentityManager(TestSettings.selfSigned(storage), Clock.systemUTC())) {
            manager.start();

            assertTrue(manager.selfSigned());
            Path key = storage.resolve("selfsigned.key");
            Path certificate = storage.resolve("selfsigned.crt");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
            assertTrue(Files.readString(certificate).startsWith("-----BEGIN CERTIFICATE-----"));
            // The stored file is the certificate being served.
            X509Certificate stored = PemLoader.readCertificates(certificate).get(0);
            assertEquals(stored, manager.certificateChain().get(0));
            // Written atomically: no temporary file left behind.
            try (Stream<Path> files = Files.list(storage)) {
                assertEquals(Set.of("selfsigned.crt", "selfsigned.key"),
                        files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
            }
        }
    }

    @Test
    void generatedCertificateNamesTheHostLocalhostAndLoopback() throws Exception {
        Instant now = Instant.now();
        TlsIdentity identity = new SelfSignedStore(temp, Clock.fixed(now, ZoneOffset.UTC)).generate("mail.example.test");
        X509Certificate certificate = identity.leaf();

        assertEquals("CN=mail.example.test", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        assertEquals(256, ((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertTrue(certificate.getSerialNumber().signum() > 0);
        assertEquals(Set.of(List.of(2, "mail.example.test"), List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                Set.copyOf(certificate.getSubjectAlternativeNames()));
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 3650 && validity.toDays() <= 3660, "about ten years: " + validity);
        assertTrue(certificate.getNotBefore().toInstant().isBefore(now));
        assertEquals(-1, certificate.getBasicConstraints(), "not a CA");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage());
    }

    @Test
    void secondStartReusesTheStoredCertificate() throws Exception {
        BigInteger first = serialAfterStart(TestSettings.selfSigned(temp));
        byte[] key = Files.readAllBytes(temp.resolve("selfsigned.key"));

        BigInteger second = serialAfterStart(TestSettings.selfSigned(temp));

        assertEquals(first, second);
        assertArrayEquals(key, Files.readAllBytes(temp.resolve("selfsigned.key")));
    }

    @Test
    void expiredCertificateIsReplaced() throws Exception {
        Clock elevenYearsAgo = Clock.offset(Clock.systemUTC(), Duration.ofDays(-11 * 366));
        SelfSignedStore old = new SelfSignedStore(temp, elevenYearsAgo);
        TlsIdentity expired = old.generate(TestSettings.HOST);
        old.save(expired);

        BigInteger serial = serialAfterStart(TestSettings.selfSigned(temp));

        assertNotEquals(expired.leaf().getSerialNumber(), serial);
        X509Certificate stored = PemLoader.readCertificates(temp.resolve("selfsigned.crt")).get(0);
        assertEquals(serial, stored.getSerialNumber());
        stored.checkValidity();
    }

    @Test
    void certificateForAnotherHostIsReplaced() throws Exception {
        BigInteger first = serialAfterStart(TestSettings.selfSigned(temp, "old.example.test"));

        try (TlsIdentityManager manager = new TlsIdentityManager(
                TestSettings.selfSigned(temp, "new.example.test"), Clock.systemUTC())) {
            manager.start();
            X509Certificate served = manager.certificateChain().get(0);
            assertNotEquals(first, served.getSerialNumber());
            assertEquals("CN=new.example.test", served.getSubjectX500Principal().getName());
        }
    }

    @Test
    void damagedKeyFileIsReplaced() throws Exception {
        BigInteger first = serialAfterStart(TestSettings.selfSigned(temp));
        Files.writeString(temp.resolve("selfsigned.key"), "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");

        BigInteger second = serialAfterStart(TestSettings.selfSigned(temp));

        assertNotEquals(first, second);
        PemLoader.readPrivateKey(temp.resolve("selfsigned.key"));
    }

    @Test
    void unwritableStorageStillServesAndSaysSo() throws Exception {
        Path blocked = temp.resolve("blocked");
        Files.writeString(blocked, "a file where the folder should be");
        try (TlsIdentityManager manager = new TlsIdentityManager(
                TestSettings.selfSigned(blocked.resolve("tls")), Clock.systemUTC())) {
            manager.start();

            assertTrue(manager.selfSigned());
            assertTrue(manager.health().up());
            assertTrue(manager.health().detail().contains("cannot store the self-signed certificate in " + blocked),
                    manager.health().detail());
        }
    }

    @Test
    void healthNamesTheSelfSignedCertificate() throws Exception {
        try (TlsIdentityManager manager = new TlsIdentityManager(TestSettings.selfSigned(temp), Clock.systemUTC())) {
            manager.start();
            assertTrue(manager.health().up());
            assertTrue(manager.health().detail().startsWith("self-signed certificate for mail.example.test, expires "),
                    manager.health().detail());
            assertFalse(manager.health().detail().contains("cannot"));
        }
    }

    private static BigInteger serialAfterStart(TlsSettings settings) throws Exception {
        try (TlsIdentityManager manager = new TlsIdentityManager(settings, Clock.systemUTC())) {
            manager.start();
            return manager.certificateChain().get(0).getSerialNumber();
        }
    }
}
