package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsKeystoreTest {

    private static final char[] STORE_PASSWORD = "store-secret".toCharArray();
    private static final char[] KEY_PASSWORD = "key-secret".toCharArray();

    @TempDir
    Path temp;

    private Path keystore;
    private Path record;
    private TlsIdentity identity;

    @BeforeEach
    void setUp() throws Exception {
        keystore = temp.resolve("tls/https.p12");
        record = HttpsKeystore.recordFile(keystore);
        identity = new SelfSignedStore(temp.resolve("identity"), Clock.systemUTC()).generate("mail.example.test");
    }

    @Test
    void firstPublicationWritesTheKeystoreAndAnOwnerOnlyRecord() throws Exception {
        assertTrue(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));

        assertHolds(identity, STORE_PASSWORD, KEY_PASSWORD);
        assertEquals(keystore.resolveSibling("https.p12.state"), record);
        assertTrue(Files.isRegularFile(record));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
        String text = Files.readString(record);
        assertFalse(text.contains(new String(STORE_PASSWORD)), text);
        assertFalse(text.contains(new String(KEY_PASSWORD)), text);
    }

    @Test
    void unchangedKeystoreIsNeitherRewrittenNorOpened() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);
        byte[] before = Files.readAllBytes(keystore);

        assertFalse(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertFalse(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));

        // PKCS#12 salts are random: a rewrite would change the bytes.
        assertArrayEquals(before, Files.readAllBytes(keystore));
    }

    @Test
    void tamperedKeystoreIsRewritten() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);
        byte[] bytes = Files.readAllBytes(keystore);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(keystore, bytes);

        assertTrue(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertHolds(identity, STORE_PASSWORD, KEY_PASSWORD);
        assertFalse(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
    }

    @Test
    void truncatedOrEmptyKeystoreIsRewritten() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);
        byte[] bytes = Files.readAllBytes(keystore);
        Files.write(keystore, Arrays.copyOf(bytes, bytes.length / 3));
        assertTrue(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertHolds(identity, STORE_PASSWORD, KEY_PASSWORD);

        Files.write(keystore, new byte[0]);
        assertTrue(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertHolds(identity, STORE_PASSWORD, KEY_PASSWORD);
    }

    @Test
    void deletedKeystoreIsWrittenAgain() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);
        Files.delete(keystore);

        assertTrue(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertHolds(identity, STORE_PASSWORD, KEY_PASSWORD);
    }

    @Test
    void newCertificateIsWritten() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);
        TlsIdentity renewed = new SelfSignedStore(temp.resolve("other"), Clock.systemUTC()).generate("mail.example.test");

        assertTrue(HttpsKeystore.ensure(renewed, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertHolds(renewed, STORE_PASSWORD, KEY_PASSWORD);
        assertFalse(HttpsKeystore.ensure(renewed, keystore, STORE_PASSWORD, KEY_PASSWORD));
    }

    @Test
    void changedStoreOrKeyPasswordRewritesTheKeystore() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);

        char[] newStore = "another-store-secret".toCharArray();
        assertTrue(HttpsKeystore.ensure(identity, keystore, newStore, KEY_PASSWORD));
        assertHolds(identity, newStore, KEY_PASSWORD);

        char[] newKey = "another-key-secret".toCharArray();
        assertTrue(HttpsKeystore.ensure(identity, keystore, newStore, newKey));
        assertHolds(identity, newStore, newKey);
        assertFalse(HttpsKeystore.ensure(identity, keystore, newStore, newKey));
    }

    @Test
    void missingOrGarbledRecordIsRebuiltFromAGoodKeystoreWithoutRewritingIt() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);
        byte[] before = Files.readAllBytes(keystore);
        String goodRecord = Files.readString(record);

        Files.delete(record);
        assertFalse(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertArrayEquals(before, Files.readAllBytes(keystore));
        assertEquals(goodRecord, Files.readString(record));

        Files.write(record, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        assertFalse(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertArrayEquals(before, Files.readAllBytes(keystore));
        assertEquals(goodRecord, Files.readString(record));
    }

    @Test
    void keystoreReplacedWithAnotherIdentityUnderAStaleRecordIsRewritten() throws Exception {
        HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD);
        String staleRecord = Files.readString(record);
        TlsIdentity other = new SelfSignedStore(temp.resolve("other"), Clock.systemUTC()).generate("other.example.test");
        HttpsKeystore.write(other, keystore, STORE_PASSWORD, KEY_PASSWORD);
        Files.writeString(record, staleRecord);

        assertTrue(HttpsKeystore.ensure(identity, keystore, STORE_PASSWORD, KEY_PASSWORD));
        assertHolds(identity, STORE_PASSWORD, KEY_PASSWORD);
    }

    private void assertHolds(TlsIdentity expected, char[] storePassword, char[] keyPassword) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, storePassword);
        }
        Certificate[] chain = store.getCertificateChain("postbus");
        assertNotNull(chain);
        assertEquals(expected.chain(), List.of(chain));
        Key key = store.getKey("postbus", keyPassword);
        assertNotNull(key);
        assertArrayEquals(expected.key().getEncoded(), key.getEncoded());
    }
}
