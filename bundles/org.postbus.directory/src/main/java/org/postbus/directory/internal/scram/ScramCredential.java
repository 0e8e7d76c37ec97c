package org.postbus.directory.internal.scram;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * What a server keeps to check SCRAM-SHA-256 logins (RFC 5802 section 3, RFC 7677): the salt,
 * the iteration count, StoredKey and ServerKey. Neither key lets anyone log in: a client must
 * prove it knows ClientKey, which only the password yields.
 *
 * <p>Written as {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (base64), the
 * form PostgreSQL and Dovecot use, so an administrator recognises it.
 *
 * @param salt the salt
 * @param iterations the PBKDF2 iteration count, at least {@link #MIN_ITERATIONS}
 * @param storedKey H(ClientKey)
 * @param serverKey HMAC(SaltedPassword, "Server Key")
 */
public record ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** The mechanism's name. */
    public static final String MECHANISM = "SCRAM-SHA-256";
    /** RFC 7677 section 4: at least 4096 iterations. */
    public static final int MIN_ITERATIONS = 4096;
    /** Keeps a tampered file from making one login spin for minutes. */
    public static final int MAX_ITERATIONS = 10_000_000;
    /** Salt length of new credentials. */
    public static final int SALT_BYTES = 16;

    private static final String PREFIX = MECHANISM + "$";
    private static final int KEY_BYTES = 32;

    /** Checks the sizes and copies the arrays. */
    public ScramCredential {
        if (salt.length < 8 || salt.length > 64) {
            throw new IllegalArgumentException("SCRAM salt must be 8..64 bytes");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("SCRAM iterations must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
        }
        if (storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("SCRAM-SHA-256 keys are 32 bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /**
     * Derives the credential of a password.
     *
     * @throws IllegalArgumentException if SASLprep refuses the password
     */
    public static ScramCredential derive(char[] password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        try {
            byte[] clientKey = hmac(salted, "Client Key");
            return new ScramCredential(salt, iterations, sha256(clientKey), hmac(salted, "Server Key"));
        } finally {
            Arrays.fill(salted, (byte) 0);
        }
    }

    /** Hi(Normalize(password), salt, i) of RFC 5802: PBKDF2 with HMAC-SHA-256. */
    static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        byte[] bytes = SaslPrep.prepare(java.nio.CharBuffer.wrap(password)).getBytes(StandardCharsets.UTF_8);
        try {
            PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
            generator.init(bytes, salt, iterations);
            return ((KeyParameter) generator.generateDerivedMacParameters(KEY_BYTES * 8)).getKey();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Whether {@code proof} proves knowledge of the password for {@code authMessage}, compared
     * in constant time.
     */
    public boolean verifyProof(byte[] proof, byte[] authMessage) {
        if (proof.length != KEY_BYTES) {
            return false;
        }
        byte[] signature = hmac(storedKey, authMessage);
        byte[] clientKey = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        return MessageDigest.isEqual(sha256(clientKey), storedKey);
    }

    /** ServerSignature: what proves to the client that this server knows its credential. */
    public byte[] serverSignature(byte[] authMessage) {
        return hmac(serverKey, authMessage);
    }

    /** Whether both are the same credential. */
    public boolean sameAs(ScramCredential other) {
        return other != null && iterations == other.iterations && MessageDigest.isEqual(salt, other.salt)
                && MessageDigest.isEqual(storedKey, other.storedKey) && MessageDigest.isEqual(serverKey, other.serverKey);
    }

    /** The stored form. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ':' + b64.encodeToString(salt) + '$' + b64.encodeToString(storedKey) + ':'
                + b64.encodeToString(serverKey);
    }

    /**
     * Parses the stored form.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the keys)
     */
    public static ScramCredential parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a " + MECHANISM + " credential");
        }
        String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("a SCRAM credential is iterations:salt$StoredKey:ServerKey");
        }
        String[] first = parts[0].split(":", -1);
        String[] second = parts[1].split(":", -1);
        if (first.length != 2 || second.length != 2) {
            throw new IllegalArgumentException("a SCRAM credential is iterations:salt$StoredKey:ServerKey");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new ScramCredential(b64.decode(first[1]), Integer.parseInt(first[0]), b64.decode(second[0]),
                    b64.decode(second[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SCRAM iteration count is not a number");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredential that && sameAs(that);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramCredential[i=" + iterations + "]";
    }

    static byte[] hmac(byte[] key, String text) {
        return hmac(key, text.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
