package org.postbus.directory.internal.scram;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), without channel binding:
 * client-first, server-first (nonce, salt, iterations), client-final with the proof, the
 * server-final {@code v=} as a last challenge, and the outcome on the client's empty answer.
 */
public final class ScramExchange implements SaslExchange {

    private enum State { CLIENT_FIRST, CLIENT_FINAL, CLIENT_ACK, ERROR_ACK, DONE }

    private static final int NONCE_BYTES = 18;

    private final ScramUsers users;
    private final Supplier<String> serverNonces;
    private State state = State.CLIENT_FIRST;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String username;
    private ScramCredential offered;
    private AuthResult outcome;

    /**
     * @param users the accounts
     * @param random the source of server nonces
     */
    public ScramExchange(ScramUsers users, SecureRandom random) {
        this(users, () -> {
            byte[] bytes = new byte[NONCE_BYTES];
            random.nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        });
    }

    /** An exchange with given server nonces, for the RFC's test vector. */
    ScramExchange(ScramUsers users, Supplier<String> serverNonces) {
        this.users = users;
        this.serverNonces = serverNonces;
    }

    @Override
    public String mechanism() {
        return ScramCredential.MECHANISM;
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        if (state == State.DONE) {
            throw new IllegalStateException("the exchange is over");
        }
        try {
            return switch (state) {
                case CLIENT_FIRST -> clientFirst(text(response));
                case CLIENT_FINAL -> clientFinal(text(response));
                case CLIENT_ACK -> end(response.length == 0 ? outcome : AuthResult.INVALID);
                case ERROR_ACK -> end(AuthResult.INVALID);
                default -> throw new IllegalStateException(state.name());
            };
        } catch (IllegalArgumentException malformed) {
            return end(AuthResult.INVALID);
        }
    }

    private SaslStep clientFirst(String message) {
        // gs2-header: cbind-flag "," [authzid] ","
        int firstComma = message.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : message.indexOf(',', firstComma + 1);
        if (secondComma < 0) {
            throw new IllegalArgumentException("no gs2 header");
        }
        String flag = message.substring(0, firstComma);
        String authzid = message.substring(firstComma + 1, secondComma);
        if (flag.startsWith("p=")) {
            // We offer no -PLUS mechanism, so no channel binding to agree on (RFC 5802 7).
            return error("channel-binding-not-supported");
        }
        if (!flag.equals("n") && !flag.equals("y")) {
            throw new IllegalArgumentException("bad channel binding flag");
        }
        gs2Header = message.substring(0, secondComma + 1);
        clientFirstBare = message.substring(secondComma + 1);
        String[] attributes = clientFirstBare.split(",", -1);
        if (attributes.length < 2) {
            throw new IllegalArgumentException("client-first needs n= and r=");
        }
        if (attributes[0].startsWith("m=")) {
            return error("extensions-not-supported");
        }
        if (!attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw new IllegalArgumentException("client-first needs n= and r=");
        }
        username = saslName(attributes[0].substring(2));
        String clientNonce = attributes[1].substring(2);
        if (username.isEmpty() || !printable(clientNonce)) {
            throw new IllegalArgumentException("empty user name or bad nonce");
        }
        if (!authzid.isEmpty()) {
            if (!authzid.startsWith("a=") || !saslName(authzid.substring(2)).equalsIgnoreCase(username)) {
                // Logging in as someone else is not offered.
                return error("invalid-authzid");
            }
        }
        try {
            username = SaslPrep.prepare(username);
        } catch (IllegalArgumentException e) {
            return error("invalid-username-encoding");
        }
        nonce = clientNonce + serverNonces.get();
        offered = users.challenge(username);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(offered.salt()) + ",i="
                + offered.iterations();
        state = State.CLIENT_FINAL;
        return SaslStep.challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep clientFinal(String message) {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new IllegalArgumentException("client-final needs p=");
        }
        String withoutProof = message.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw new IllegalArgumentException("client-final needs c= and r=");
        }
        byte[] binding = Base64.getDecoder().decode(attributes[0].substring(2));
        if (!new String(binding, StandardCharsets.UTF_8).equals(gs2Header)) {
            return error("channel-bindings-dont-match");
        }
        if (!attributes[1].substring(2).equals(nonce)) {
            throw new IllegalArgumentException("nonce mismatch");
        }
        byte[] proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        boolean valid = offered.verifyProof(proof, authMessage);
        AuthResult result = users.finish(username, offered, valid);
        if (!result.succeeded()) {
            return end(result);
        }
        outcome = result;
        state = State.CLIENT_ACK;
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(offered.serverSignature(authMessage));
        return SaslStep.challenge(serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    /** A server-error (RFC 5802 7) as the last challenge; the exchange then fails. */
    private SaslStep error(String value) {
        state = State.ERROR_ACK;
        return SaslStep.challenge(("e=" + value).getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep end(AuthResult result) {
        state = State.DONE;
        return SaslStep.done(result);
    }

    /** Decodes a saslname: "=2C" is a comma, "=3D" an equals sign, any other "=" is malformed. */
    static String saslName(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',') {
                throw new IllegalArgumentException("comma in saslname");
            }
            if (c != '=') {
                out.append(c);
            } else if (text.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (text.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                throw new IllegalArgumentException("bad escape in saslname");
            }
        }
        return out.toString();
    }

    private static boolean printable(String nonce) {
        return !nonce.isEmpty() && nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7E && c != ',');
    }

    private static String text(byte[] response) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(response)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8");
        }
    }
}
