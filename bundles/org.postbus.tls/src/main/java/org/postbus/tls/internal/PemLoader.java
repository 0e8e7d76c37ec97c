package org.postbus.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM certificate chain and private key, and checks that they belong together.
 *
 * <p>Bouncy Castle only parses; keys and certificates are made by the JDK's own providers, so
 * the JDK's TLS implementation can use them and no JCA provider is registered.
 */
final class PemLoader {

    static final String CERTIFICATE = "certificate";
    static final String KEY = "key";

    /** Far more than any real chain; guards against a path like /dev/zero. */
    private static final int MAX_SIZE = 1 << 20;

    private PemLoader() {
    }

    /**
     * Loads a configured identity.
     *
     * @param certificateFile the certificate chain, leaf first
     * @param keyFile the private key of the leaf; may be the certificate file itself
     * @throws TlsFileException naming the file and the problem
     */
    static TlsIdentity load(Path certificateFile, Path keyFile) throws TlsFileException {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readPrivateKey(keyFile);
        checkKeyMatches(key, chain.get(0), keyFile, certificateFile);
        return new TlsIdentity(key, chain, false, certificateFile.toString());
    }

    /** The certificates of a PEM file, in file order; at least one. */
    static List<X509Certificate> readCertificates(Path file) throws TlsFileException {
        List<Object> objects = readPem(CERTIFICATE, file);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        for (Object object : objects) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException | RuntimeException e) {
                    throw new TlsFileException(CERTIFICATE, file,
                            "holds a malformed certificate: " + message(e), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsFileException(CERTIFICATE, file,
                    "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /** The one private key of a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    static PrivateKey readPrivateKey(Path file) throws TlsFileException {
        List<PrivateKeyInfo> keys = new ArrayList<>();
        for (Object object : readPem(KEY, file)) {
            if (object instanceof PEMKeyPair pair) {
                keys.add(pair.getPrivateKeyInfo());
            } else if (object instanceof PrivateKeyInfo info) {
                keys.add(info);
            } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TlsFileException(KEY, file,
                        "holds an encrypted private key; store it unencrypted, readable only by the server");
            }
        }
        if (keys.isEmpty()) {
            throw new TlsFileException(KEY, file, "holds no PEM private key"
                    + " (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        if (keys.size() > 1) {
            throw new TlsFileException(KEY, file, "holds " + keys.size() + " private keys; expected one");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter()
                // Bouncy Castle's default name "ECDSA" is not a KeyFactory of the JDK's SunEC.
                .setAlgorithmMapping(X9ObjectIdentifiers.id_ecPublicKey, "EC");
        try {
            return converter.getPrivateKey(keys.get(0));
        } catch (IOException | RuntimeException e) {
            throw new TlsFileException(KEY, file,
                    "holds an unusable private key (RSA and EC are supported): " + message(e), e);
        }
    }

    /** Checks the key signs what the certificate's public key verifies. */
    static void checkKeyMatches(PrivateKey key, X509Certificate leaf, Path keyFile, Path certificateFile)
            throws TlsFileException {
        PublicKey publicKey = leaf.getPublicKey();
        String mismatch = "does not match the certificate in " + certificateFile;
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            throw new TlsFileException(KEY, keyFile, mismatch + " (" + key.getAlgorithm()
                    + " key, " + publicKey.getAlgorithm() + " certificate)");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsFileException(KEY, keyFile,
                    "is a " + key.getAlgorithm() + " key; RSA and EC are supported");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new TlsFileException(KEY, keyFile, mismatch);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsFileException(KEY, keyFile, mismatch + ": " + message(e), e);
        }
    }

    private static List<Object> readPem(String kind, Path file) throws TlsFileException {
        byte[] content = readBounded(kind, file);
        // ISO-8859-1 maps every byte, so text around the PEM blocks can never fail decoding.
        try (PEMParser parser = new PEMParser(
                new StringReader(new String(content, StandardCharsets.ISO_8859_1)))) {
            List<Object> objects = new ArrayList<>();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
            return objects;
        } catch (IOException | RuntimeException e) {
            throw new TlsFileException(kind, file, "is not valid PEM: " + message(e), e);
        }
    }

    private static byte[] readBounded(String kind, Path file) throws TlsFileException {
        if (Files.isDirectory(file)) {
            throw new TlsFileException(kind, file, "is a folder, not a PEM file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(MAX_SIZE + 1);
            if (content.length > MAX_SIZE) {
                throw new TlsFileException(kind, file, "is larger than " + MAX_SIZE + " bytes; not a PEM file");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new TlsFileException(kind, file, "is missing", e);
        } catch (AccessDeniedException e) {
            throw new TlsFileException(kind, file, "unreadable: permission denied", e);
        } catch (IOException e) {
            throw new TlsFileException(kind, file, "unreadable: " + message(e), e);
        }
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
