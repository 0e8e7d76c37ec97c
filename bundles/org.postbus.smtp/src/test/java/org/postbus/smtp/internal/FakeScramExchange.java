package org.postbus.smtp.internal;

import com.ongres.scram.common.ClientFirstMessage;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.StringPreparation;
import com.ongres.scram.common.exception.ScramParseException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;

/**
 * The server side of SCRAM-SHA-256 for {@link FakeDirectory}, built from the SCRAM functions of
 * an independent library (com.ongres.scram), so that the listener's relaying of the exchange is
 * tested against a real client without the directory bundle.
 */
final class FakeScramExchange implements SaslExchange {

    private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    private static final int ITERATIONS = 4096;

    /** Password of a user name, or null if unknown. */
    private final Function<String, String> passwords;
    /** Outcome of a right proof. */
    private final Function<String, AuthResult> success;
    private int step;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;
    private byte[] saltedPassword;
    private String authMessage;
    private AuthResult outcome;
    private boolean known;
    private String clientFirstBare;

    FakeScramExchange(Function<String, String> passwords, Function<String, AuthResult> success) {
        this.passwords = passwords;
        this.success = success;
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
                    clientFirst = ClientFirstMessage.parseFrom(text);
                    clientFirstBare = text.substring(text.indexOf(',', text.indexOf(',') + 1) + 1);
                    String user = clientFirst.getUsername();
                    byte[] salt = Arrays.copyOf(user.getBytes(StandardCharsets.UTF_8), 16);
                    String password = passwords.apply(user);
                    known = password != null;
                    saltedPassword = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.SASL_PREPARATION,
                            (password == null ? "no such user" : password).toCharArray(), salt, ITERATIONS);
                    serverFirst = new ServerFirstMessage(clientFirst.getClientNonce(),
                            ScramFunctions.nonce(18, new SecureRandom()), Base64.getEncoder().encodeToString(salt),
                            ITERATIONS);
                    return SaslStep.challenge(serverFirst.toString().getBytes(StandardCharsets.UTF_8));
                }
                case 1 -> {
                    int proofAt = text.lastIndexOf(",p=");
                    String withoutProof = text.substring(0, proofAt);
                    authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                    byte[] proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
                    byte[] storedKey = ScramFunctions.storedKey(MECHANISM, ScramFunctions.clientKey(MECHANISM,
                            saltedPassword));
                    String user = clientFirst.getUsername();
                    if (!known
                            || !ScramFunctions.verifyClientProof(MECHANISM, proof, storedKey, authMessage)) {
                        step = 3;
                        return SaslStep.done(AuthResult.INVALID);
                    }
                    outcome = success.apply(user);
                    byte[] signature = ScramFunctions.serverSignature(MECHANISM,
                            ScramFunctions.serverKey(MECHANISM, saltedPassword), authMessage);
                    return SaslStep.challenge(("v=" + Base64.getEncoder().encodeToString(signature))
                            .getBytes(StandardCharsets.UTF_8));
                }
                case 2 -> {
                    return SaslStep.done(response.length == 0 ? outcome : AuthResult.INVALID);
                }
                default -> throw new IllegalStateException("the exchange is over");
            }
        } catch (ScramParseException | RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw (IllegalStateException) e;
            }
            step = 3;
            return SaslStep.done(AuthResult.INVALID);
        }
    }
}
