package org.postbus.tls.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Optional;
import java.nio.file.attribute.PosixFilePermissions;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.framework.InvalidSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the web server (Felix HTTP on Jetty) the same certificate as the mail protocols. Jetty
 * reads its certificate from a keystore file named in its configuration
 * ({@code etc/org.apache.felix.http.cfg}); this writes the served identity into that file, with
 * the password given there, and marks the configuration with the certificate's fingerprint so
 * that Jetty restarts its HTTPS connector on the new certificate. The file is written only when
 * the configuration enables HTTPS and names a keystore.
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

    private HttpsKeystore() {
    }

    /**
     * Writes {@code identity} into the keystore of the HTTP configuration, if it uses one, and
     * updates the configuration so Jetty picks it up.
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
            String fingerprint = fingerprint(identity.leaf());
            if (!fingerprint.equals(properties.get(FINGERPRINT)) || !Files.exists(keystore)) {
                // At every start the configuration comes from its file, without the fingerprint;
                // the keystore on disk usually holds this certificate already.
                if (!holds(keystore, password.toCharArray(), identity.leaf())) {
                    write(identity, keystore, password.toCharArray(), keyPassword.toCharArray());
                }
                properties.put(FINGERPRINT, fingerprint);
                http.get().update(properties);
                LOG.info("HTTPS uses {} (keystore {})", identity.describe(), keystore);
            }
        } catch (IOException | GeneralSecurityException | InvalidSyntaxException | RuntimeException e) {
            LOG.error("HTTPS keystore not updated: {}", e.toString());
            LOG.debug("HTTPS keystore failure", e);
        }
    }

    private static Optional<Configuration> httpConfiguration(ConfigurationAdmin admin)
            throws IOException, InvalidSyntaxException {
        Configuration[] found = admin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + HTTP_PID + ")");
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    /** Writes a PKCS#12 keystore with the identity's key and chain, owner-readable only. */
    static void write(TlsIdentity identity, Path file, char[] storePassword, char[] keyPassword)
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
        SelfSignedStore.writeAtomically(file, bytes.toByteArray(), PosixFilePermissions.fromString("rw-------"));
    }

    /** Whether the keystore file exists, opens with the password and holds {@code leaf}. */
    static boolean holds(Path file, char[] password, X509Certificate leaf) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return leaf.equals(store.getCertificate(ALIAS)) && store.isKeyEntry(ALIAS);
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
