package org.postbus.imap.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;
import org.postbus.api.mail.MailAddress;

/**
 * A real server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) over the test directory's passwords,
 * shaped as the directory API's exchange: the server-final-message is a last challenge, the
 * client answers it with an empty response, then the outcome follows. {@link #clientProof} and
 * friends are the client side, for the tests.
 */
final class TestScram implements SaslExchange {

    static final int ITERATIONS = 4096;

    private final TestDirectory directory;
    private int step;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private MailAddress user;
    private byte[] salt;
    private AuthResult outcome = AuthResult.INVALID;

    TestScram(TestDirectory directory) {
        this.directory = directory;
    }

    @Override
    public String mechanism() {
        return "SCRAM-SHA-256";
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        try {
            switch (step++) {
                case 0 -> {
                    if (!text.startsWith("n,,")) {
                        return SaslStep.done(AuthResult.INVALID);
                    }
                    clientFirstBare = text.substring(3);
                    String name = attribute(clientFirstBare, 'n').replace("=2C", ",").replace("=3D", "=");
                    String clientNonce = attribute(clientFirstBare, 'r');
                    user = MailAddress.parse(name.contains("@") ? name : name + "@" + TestDirectory.DOMAIN);
                    byte[] random = new byte[18];
                    new SecureRandom().nextBytes(random);
                    nonce = clientNonce + Base64.getEncoder().encodeToString(random);
                    salt = ("salt-" + user).getBytes(StandardCharsets.UTF_8);
                    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
                    return SaslStep.challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
                }
                case 1 -> {
                    int proofAt = text.lastIndexOf(",p=");
                    String withoutProof = text.substring(0, proofAt);
                    byte[] proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
                    if (!attribute(text, 'c').equals("biws") || !attribute(text, 'r').equals(nonce)) {
                        return SaslStep.done(AuthResult.INVALID);
                    }
                    String password = directory.passwords.get(user);
                    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                    byte[] salted = salted(password == null ? "\u0000unknown" : password, salt);
                    byte[] expected = clientProof(salted, authMessage);
                    if (password == null || !MessageDigest.isEqual(expected, proof)) {
                        return SaslStep.done(AuthResult.INVALID);
                    }
                    outcome = directory.result(user);
                    String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature(salted, authMessage));
                    return SaslStep.challenge(serverFinal.getBytes(StandardCharsets.UTF_8));
                }
                case 2 -> {
                    return SaslStep.done(response.length == 0 ? outcome : AuthResult.INVALID);
                }
                default -> {
                    return SaslStep.done(AuthResult.INVALID);
                }
            }
        } catch (RuntimeException e) {
            return SaslStep.done(AuthResult.INVALID);
        }
    }

    static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new IllegalArgumentException("no " + name + "= in " + message);
    }

    static byte[] salted(String password, byte[] salt) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] clientProof(byte[] salted, String authMessage) {
        try {
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            return proof;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] serverSignature(byte[] salted, String authMessage) {
        return hmac(hmac(salted, "Server Key"), authMessage);
    }
}
