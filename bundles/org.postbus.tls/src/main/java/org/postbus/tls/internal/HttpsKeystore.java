package org.postbus.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the web server (Felix HTTP on Jetty) the same certificate as the mail protocols. Jetty
 * reads its certificate from a keystore file named in its configuration
 * ({@code etc/org.apache.felix.http.cfg}); this writes the served identity into that file, with
 * the password given there, and marks the configuration with the certificate's fingerprint so
 * that Jetty restarts its HTTPS connector on the new certificate. The file is written only when
 * the configuration enables HTTPS and names a keystore, and only when it does not hold the
 * identity already (see {@link #ensure}).
 */
final class HttpsKeystore {

    /** The PID of Felix HTTP's configuration. */
    static final String HTTP_PID = "org.apache.felix.http";
    static final String ENABLE = "org.apache.felix.https.enable";
    static final String KEYSTORE = "org.apache.felix.https.keystore";
    static final String PASSWORD = "org.apache.felix.https.keystore.password";
    static final String KEY_PASSWORD = "org.apache.felix.https.keystore.key.password";
    /** Added to the HTTP configuration: the SHA-256 of the certificate in the keystore. */
    static final String FINGERPRINT = "postbus.tls.fingerprint";

    private static final Logger LOG = LoggerFactory.getLogger(HttpsKeystore.class);
    private static final String ALIAS = "postbus";
    /** Appended to the keystore's file name for the record of its last known good state. */
    static final String RECORD_SUFFIX = ".state";
    private static final String RECORD_FORMAT = "postbus-https-keystore 1";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private HttpsKeystore() {
    }

    /**
     * Writes {@code identity} into the keystore of the HTTP configuration, if it uses one and does
     * not hold it already, and then updates the configuration so Jetty picks it up.
     */
    static void publish(ConfigurationAdmin configurationAdmin, TlsIdentity identity) {
        try {
            Optional<Configuration> http = httpConfiguration(configurationAdmin);
            if (http.isEmpty()) {
                return;
            }
            Dictionary<String, Object> properties = http.get().getProperties();
            Object enabled = properties.get(ENABLE);
            Object file = properties.get(KEYSTORE);
            if (enabled == null || !Boolean.parseBoolean(enabled.toString()) || file == null || file.toString().isBlank()) {
                return;
            }
            Path keystore = Path.of(file.toString().strip());
            String password = text(properties.get(PASSWORD));
            String keyPassword = properties.get(KEY_PASSWORD) == null ? password : text(properties.get(KEY_PASSWORD));
            // A keystore that was already right on disk is what Jetty read (or reads) itself; only
            // a rewritten one needs the configuration touched, which restarts Jetty's connectors.
            if (ensure(identity, keystore, password.toCharArray(), keyPassword.toCharArray())) {
                properties.put(FINGERPRINT, fingerprint(identity.leaf()));
                http.get().update(properties);
                LOG.info("HTTPS uses {} (keystore {})", identity.describe(), keystore);
            } else {
                LOG.debug("HTTPS keystore {} already holds {}", keystore, identity.describe());
            }
        } catch (IOException | GeneralSecurityException | InvalidSyntaxException | RuntimeException e) {
            LOG.error("HTTPS keystore not updated: {}", e.toString());
            LOG.debug("HTTPS keystore failure", e);
        }
    }

    /**
     * Makes {@code keystore} hold {@code identity} under these passwords, writing it only when it
     * does not.
     *
     * <p>Opening a PKCS#12 file to check it costs two or three PBKDF2 derivations of 10,000 rounds
     * (100 to 200 ms of CPU while the JIT is cold), at every start. So each time the file is known
     * good, a record beside it ({@value #RECORD_SUFFIX}) keeps the SHA-256 of the file's bytes, the
     * fingerprints of the chain and a salted hash of the passwords; while all three still match, the
     * file is what was written and checked, and is not opened. Anything else (no record, an edited,
     * truncated or replaced file, another certificate or password) falls back to opening the file,
     * and to rewriting it when it does not hold the identity.
     *
     * @return whether the keystore was written
     */
    static boolean ensure(TlsIdentity identity, Path keystore, char[] storePassword, char[] keyPassword)
            throws IOException, GeneralSecurityException {
        Path record = recordFile(keystore);
        String chain = chainFingerprints(identity);
        byte[] current = readIfPresent(keystore);
        if (current != null) {
            String expected = record(current, chain, storePassword, keyPassword);
            if (expected.equals(readRecord(record))) {
                return false;
            }
            if (holds(current, storePassword, keyPassword, identity)) {
                writeRecord(record, expected);
                return false;
            }
        }
        byte[] written = write(identity, keystore, storePassword, keyPassword);
        writeRecord(record, record(written, chain, storePassword, keyPassword));
        return true;
    }

    private static Optional<Configuration> httpConfiguration(ConfigurationAdmin admin)
            throws IOException, InvalidSyntaxException {
        Configuration[] found = admin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + HTTP_PID + ")");
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    /**
     * Writes a PKCS#12 keystore with the identity's key and chain, owner-readable only.
     *
     * @return the bytes written
     */
    static byte[] write(TlsIdentity identity, Path file, char[] storePassword, char[] keyPassword)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, identity.key(), keyPassword, identity.chain().toArray(new Certificate[0]));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, storePassword);
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        byte[] content = bytes.toByteArray();
        SelfSignedStore.writeAtomically(file, content, OWNER_ONLY);
        return content;
    }

    /**
     * Whether {@code keystore} opens with the store password and holds the identity's chain under
     * our alias, with its key readable with the key password.
     */
    static boolean holds(byte[] keystore, char[] storePassword, char[] keyPassword, TlsIdentity identity) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(keystore), storePassword);
            if (!store.isKeyEntry(ALIAS)) {
                return false;
            }
            Certificate[] chain = store.getCertificateChain(ALIAS);
            if (chain == null || !List.of(chain).equals(identity.chain())) {
                return false;
            }
            Key key = store.getKey(ALIAS, keyPassword);
            return key != null && Arrays.equals(key.getEncoded(), identity.key().getEncoded());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The file beside {@code keystore} that records its last known good state. */
    static Path recordFile(Path keystore) {
        return keystore.resolveSibling(keystore.getFileName() + RECORD_SUFFIX);
    }

    private static byte[] readIfPresent(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The record's text. The passwords are hashed with the keystore's digest as salt (it changes
     * at every write, as PKCS#12 salts do), so the record tells nothing the configuration does not.
     */
    private static String record(byte[] keystore, String chain, char[] storePassword, char[] keyPassword)
            throws GeneralSecurityException {
        String digest = sha256(keystore);
        MessageDigest passwords = MessageDigest.getInstance("SHA-256");
        passwords.update(("postbus-https-keystore\0" + digest + "\0").getBytes(StandardCharsets.UTF_8));
        passwords.update(utf8(storePassword));
        passwords.update((byte) 0);
        passwords.update(utf8(keyPassword));
        return RECORD_FORMAT + "\nkeystore=" + digest + "\nchain=" + chain + "\npasswords="
                + HexFormat.of().formatHex(passwords.digest()) + "\n";
    }

    private static String readRecord(Path record) {
        try {
            return Files.readString(record, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Missing or unreadable (or not UTF-8): the keystore is checked the slow way.
            return "";
        }
    }

    private static void writeRecord(Path record, String text) {
        try {
            SelfSignedStore.writeAtomically(record, text.getBytes(StandardCharsets.UTF_8), OWNER_ONLY);
        } catch (IOException e) {
            // Only an optimisation: without it the next start checks the keystore the slow way.
            LOG.warn("Cannot write {}: {}", record, e.toString());
        }
    }

    private static String chainFingerprints(TlsIdentity identity) throws GeneralSecurityException {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : identity.chain()) {
            out.append(out.length() == 0 ? "" : ",").append(fingerprint(certificate));
        }
        return out.toString();
    }

    private static String sha256(byte[] bytes) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] utf8(char[] text) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
