package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemLoaderTest {

    static TestPki.Issued ca;
    static TestPki.Issued rsaServer;
    static TestPki.Issued ecServer;

    @TempDir
    Path temp;

    @BeforeAll
    static void issue() throws Exception {
        ca = TestPki.ca("Test CA");
        rsaServer = TestPki.server("rsa.example.test", TestPki.rsa(), ca);
        ecServer = TestPki.server("ec.example.test", TestPki.ec(), ca);
    }

    @Test
    void rsaKeyInPkcs1IsLoadedWithChainLeafFirst() throws Exception {
        Path certificate = TestPki.write(temp.resolve("fullchain.pem"), TestPki.pem(rsaServer.certificate(), ca.certificate()));
        String keyPem = TestPki.pem(rsaServer.keys().getPrivate());
        assertTrue(keyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), keyPem);
        Path key = TestPki.write(temp.resolve("key.pem"), keyPem);

        TlsIdentity identity = PemLoader.load(certificate, key);

        assertEquals(List.of(rsaServer.certificate(), ca.certificate()), identity.chain());
        assertEquals(((RSAPrivateCrtKey) rsaServer.keys().getPrivate()).getModulus(),
                ((RSAPrivateCrtKey) identity.key()).getModulus());
        assertFalse(identity.selfSigned());
        assertEquals(certificate.toString(), identity.source());
    }

    @Test
    void rsaKeyInPkcs8IsLoaded() throws Exception {
        Path certificate = TestPki.write(temp.resolve("cert.pem"), TestPki.pem(rsaServer.certificate()));
        String keyPem = TestPki.pkcs8(rsaServer.keys().getPrivate());
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), keyPem);
        Path key = TestPki.write(temp.resolve("key.pem"), keyPem);

        assertEquals("RSA", PemLoader.load(certificate, key).key().getAlgorithm());
    }

    @Test
    void ecKeyInSec1WithParametersBlockIsLoadedAsJdkKey() throws Exception {
        Path certificate = TestPki.write(temp.resolve("cert.pem"), TestPki.pem(ecServer.certificate()));
        String keyPem = TestPki.sec1(ecServer.keys());
        assertTrue(keyPem.startsWith("-----BEGIN EC PRIVATE KEY-----"), keyPem);
        // openssl ecparam -genkey writes the curve first.
        Path key = TestPki.write(temp.resolve("key.pem"),
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + keyPem);

        PrivateKey loaded = PemLoader.load(certificate, key).key();

        assertEquals("EC", loaded.getAlgorithm());
        // Made by the JDK, not by Bouncy Castle: nothing registers BC as a provider.
        assertFalse(loaded.getClass().getName().startsWith("org.bouncycastle"), loaded.getClass().getName());
    }

    @Test
    void ecKeyInPkcs8IsLoaded() throws Exception {
        Path certificate = TestPki.write(temp.resolve("cert.pem"), TestPki.pem(ecServer.certificate()));
        Path key = TestPki.write(temp.resolve("key.pem"), TestPki.pkcs8(ecServer.keys().getPrivate()));

        assertEquals("EC", PemLoader.load(certificate, key).key().getAlgorithm());
    }

    @Test
    void keyAndChainInOneFile() throws Exception {
        Path combined = TestPki.write(temp.resolve("combined.pem"),
                TestPki.pkcs8(ecServer.keys().getPrivate()) + TestPki.pem(ecServer.certificate(), ca.certificate()));

        TlsIdentity identity = PemLoader.load(combined, combined);

        assertEquals(List.of(ecServer.certificate(), ca.certificate()), identity.chain());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        Path certificate = TestPki.write(temp.resolve("cert.pem"), TestPki.pem(rsaServer.certificate()));
        Path key = TestPki.write(temp.resolve("key.pem"), TestPki.pem(TestPki.rsa().getPrivate()));

        TlsFileException e = assertThrows(TlsFileException.class, () -> PemLoader.load(certificate, key));

        assertEquals("TLS key " + key + " does not match the certificate in " + certificate, e.getMessage());
    }

    @Test
    void ecKeyForRsaCertificateIsRefused() throws Exception {
        Path certificate = TestPki.write(temp.resolve("cert.pem"), TestPki.pem(rsaServer.certificate()));
        Path key = TestPki.write(temp.resolve("key.pem"), TestPki.sec1(ecServer.keys()));

        TlsFileException e = assertThrows(TlsFileException.class, () -> PemLoader.load(certificate, key));

        assertTrue(e.getMessage().startsWith("TLS key " + key + " does not match the certificate in " + certificate),
                e.getMessage());
    }

    @Test
    void missingFileIsNamed() throws Exception {
        Path key = TestPki.write(temp.resolve("key.pem"), TestPki.pem(rsaServer.keys().getPrivate()));
        Path missing = temp.resolve("nowhere.pem");

        TlsFileException e = assertThrows(TlsFileException.class, () -> PemLoader.load(missing, key));

        assertEquals("TLS certificate " + missing + " is missing", e.getMessage());
    }

    @Test
    void garbageInsideAPemBlockIsMalformed() throws Exception {
        Path certificate = TestPki.write(temp.resolve("cert.pem"),
                "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQ\n-----END CERTIFICATE-----\n");

        TlsFileException e = assertThrows(TlsFileException.class, () -> PemLoader.readCertificates(certificate));

        assertTrue(e.getMessage().startsWith("TLS certificate " + certificate + " "), e.getMessage());
        assertTrue(e.getMessage().contains("PEM") || e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void fileWithoutPemIsRefused() throws Exception {
        Path certificate = TestPki.write(temp.resolve("cert.der"), "just some text\n");
        Path key = TestPki.write(temp.resolve("key.pem"), "");

        assertEquals("TLS certificate " + certificate + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                assertThrows(TlsFileException.class, () -> PemLoader.readCertificates(certificate)).getMessage());
        assertTrue(assertThrows(TlsFileException.class, () -> PemLoader.readPrivateKey(key)).getMessage()
                .startsWith("TLS key " + key + " holds no PEM private key"));
    }

    @Test
    void truncatedPemIsRefused() throws Exception {
        String pem = TestPki.pem(rsaServer.certificate());
        Path certificate = TestPki.write(temp.resolve("cert.pem"), pem.substring(0, pem.length() / 2));

        TlsFileException e = assertThrows(TlsFileException.class, () -> PemLoader.readCertificates(certificate));

        assertTrue(e.getMessage().startsWith("TLS certificate " + certificate + " is not valid PEM"), e.getMessage());
    }

    @Test
    void encryptedKeyIsRefusedWithAHint() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(rsaServer.keys().getPrivate(),
                    new JcePEMEncryptorBuilder("AES-128-CBC")
                            // An instance for this call only: BC is never registered globally.
                            .setProvider(new BouncyCastleProvider()).build("secret".toCharArray()));
        }
        Path key = TestPki.write(temp.resolve("key.pem"), text.toString());

        TlsFileException e = assertThrows(TlsFileException.class, () -> PemLoader.readPrivateKey(key));

        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    }

    @Test
    void folderIsRefused() throws Exception {
        TlsFileException e = assertThrows(TlsFileException.class, () -> PemLoader.readCertificates(temp));

        assertEquals("TLS certificate " + temp + " is a folder, not a PEM file", e.getMessage());
    }

    @Test
    void expiredCertificateStillLoads() throws Exception {
        KeyPair keys = TestPki.ec();
        TestPki.Issued expired = TestPki.server("old.example.test", keys, ca,
                Instant.now().minus(Duration.ofDays(60)), Instant.now().minus(Duration.ofDays(1)));
        Path certificate = TestPki.write(temp.resolve("cert.pem"), TestPki.pem(expired.certificate()));
        Path key = TestPki.write(temp.resolve("key.pem"), TestPki.pkcs8(keys.getPrivate()));

        TlsIdentity identity = PemLoader.load(certificate, key);

        // Loaded (and reported by health) rather than refused: the operator may be renewing it.
        assertEquals(expired.certificate(), identity.leaf());
        assertFalse(identity.validAt(Instant.now()));
    }
}
