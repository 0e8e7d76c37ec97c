package org.postbus.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client's computations of SCRAM-SHA-256 (RFC 5802, RFC 7677), for tests that speak the
 * exchange by hand on a raw connection to see each step. Written on the JDK's own PBKDF2 and
 * HMAC, apart from the library {@link FakeDirectory}'s server side uses, so that each side checks
 * the other. No SASLprep: give ASCII passwords.
 */
public final class ScramClientSide {

    private ScramClientSide() {
    }

    /** The value of attribute {@code name} ({@code r}, {@code s}, {@code i}, {@code v}) of a SCRAM message. */
    public static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new IllegalArgumentException("no " + name + "= in " + message);
    }

    /** SaltedPassword := Hi(password, salt, i), that is PBKDF2 with HMAC-SHA-256. */
    public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ClientProof := ClientKey XOR HMAC(H(ClientKey), AuthMessage). */
    public static byte[] clientProof(byte[] saltedPassword, String authMessage) {
        try {
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] signature = hmac(MessageDigest.getInstance("SHA-256").digest(clientKey), authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            return proof;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ServerSignature := HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage): what the server must send. */
    public static byte[] serverSignature(byte[] saltedPassword, String authMessage) {
        return hmac(hmac(saltedPassword, "Server Key"), authMessage);
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
