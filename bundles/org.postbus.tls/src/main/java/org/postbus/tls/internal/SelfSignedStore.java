package org.postbus.tls.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generated self-signed identity, kept as {@code selfsigned.crt} and {@code selfsigned.key}
 * in the storage folder so that clients which pinned it keep trusting the server after a restart.
 */
final class SelfSignedStore {

    static final String CERTIFICATE_FILE = "selfsigned.crt";
    static final String KEY_FILE = "selfsigned.key";

    /** About ten years: long enough that nobody has to think about it. */
    static final Duration VALIDITY = Duration.ofDays(3652);

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedStore.class);

    private final Path dir;
    private final Clock clock;

    SelfSignedStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    Path certificateFile() {
        return dir.resolve(CERTIFICATE_FILE);
    }

    Path keyFile() {
        return dir.resolve(KEY_FILE);
    }

    /**
     * The stored identity if it is there, readable, matching, valid now and made for the host
     * name; otherwise empty, with the reason logged.
     */
    Optional<TlsIdentity> load(String hostname) {
        if (!Files.exists(certificateFile()) && !Files.exists(keyFile())) {
            return Optional.empty();
        }
        TlsIdentity stored;
        try {
            stored = PemLoader.load(certificateFile(), keyFile());
        } catch (TlsFileException e) {
            LOG.warn("{}; making a new self-signed certificate", e.getMessage());
            LOG.debug("Stored self-signed certificate unusable", e);
            return Optional.empty();
        }
        if (!stored.validAt(clock.instant())) {
            LOG.info("The self-signed TLS certificate in {} expired on {}; making a new one",
                    certificateFile(), stored.expiry());
            return Optional.empty();
        }
        if (!namesHost(stored.leaf(), hostname)) {
            LOG.info("The self-signed TLS certificate in {} is for {}, not {}; making a new one",
                    certificateFile(), stored.subject(), hostname);
            return Optional.empty();
        }
        return Optional.of(new TlsIdentity(stored.key(), stored.chain(), true, hostname));
    }

    /** Makes a new self-signed identity in memory. */
    TlsIdentity generate(String hostname) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();

        Instant now = clock.instant();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        // Positive, non-zero and at most 16 bytes, well within RFC 5280's 20.
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name, serial,
                    // An hour back, for clients whose clocks run a little slow.
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                    name, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                hostName(hostname),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            }));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new TlsIdentity(keys.getPrivate(), List.of(certificate), true, hostname);
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** Writes the identity to the storage folder; the key readable by the owner only. */
    void save(TlsIdentity identity) throws IOException {
        createDir();
        // Key first: a crash between the two leaves a mismatch, which the next start replaces.
        writeAtomically(keyFile(), pem(new JcaPKCS8Generator(identity.key(), null)), OWNER_ONLY);
        writeAtomically(certificateFile(), pem(identity.leaf()), PUBLIC);
    }

    private void createDir() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null) {
            Files.createDirectories(dir);
            return;
        }
        Files.createDirectories(parent);
        if (Files.getFileStore(parent).supportsFileAttributeView("posix")) {
            // Only a folder made here is restricted; an administrator's own folder keeps its mode.
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        } else {
            Files.createDirectory(dir);
        }
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Temporary file, fsync, rename: readers see the old file or the new one, never half of one. */
    static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(folder).supportsFileAttributeView("posix");
        // Created with owner-only permissions so the key is never readable by others, not even briefly.
        Path temp = posix
                ? Files.createTempFile(folder, "." + target.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncFolder(folder);
    }

    private static void syncFolder(Path folder) {
        // Makes the rename itself durable; not every platform can open a folder, which is fine.
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot sync folder {}", folder, e);
        }
    }

    private static GeneralName hostName(String hostname) {
        boolean ip = IPV4.matcher(hostname).matches() || hostname.indexOf(':') >= 0;
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, hostname);
    }

    static boolean namesHost(X509Certificate certificate, String hostname) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> name : names) {
                Object type = name.get(0);
                Object value = name.get(1);
                if ((Integer.valueOf(GeneralName.dNSName).equals(type)
                                || Integer.valueOf(GeneralName.iPAddress).equals(type))
                        && hostname.equalsIgnoreCase(String.valueOf(value))) {
                    return true;
                }
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
