package org.postbus.testkit;

import com.ongres.scram.common.ClientFirstMessage;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.StringPreparation;
import com.ongres.scram.common.exception.ScramException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) for {@link FakeDirectory}, built from the
 * SCRAM functions of an independent library (com.ongres.scram), so that a protocol's relaying of
 * the exchange is tested against a real client without the directory bundle. Shaped as the
 * directory API's exchange: the server-final-message is a last challenge, the client answers it
 * with an empty response, then the outcome follows.
 */
final class FakeScramExchange implements SaslExchange {

    private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    private static final int ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FakeDirectory directory;
    private int step;
    private String user;
    private String gs2Header;
    private String clientFirstBare;
    private ServerFirstMessage serverFirst;
    private byte[] saltedPassword;
    private boolean known;
    private AuthResult outcome = AuthResult.INVALID;

    FakeScramExchange(FakeDirectory directory) {
        this.directory = directory;
    }

    @Override
    public String mechanism() {
        return FakeDirectory.SCRAM_SHA_256;
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        try {
            switch (step++) {
                case 0 -> {
                    return first(text);
                }
                case 1 -> {
                    return last(text);
                }
                case 2 -> {
                    return finish(response.length == 0 ? outcome : AuthResult.INVALID);
                }
                default -> throw new IllegalStateException("the exchange is over");
            }
        } catch (ScramException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return finish(AuthResult.INVALID);
        }
    }

    private SaslStep first(String text) throws ScramException {
        ClientFirstMessage clientFirst = ClientFirstMessage.parseFrom(text);
        int bare = text.indexOf(',', text.indexOf(',') + 1) + 1;
        gs2Header = text.substring(0, bare);
        clientFirstBare = text.substring(bare);
        user = clientFirst.getUsername();
        String password = directory.scramPassword(user);
        known = password != null;
        // A stable salt per user, as a stored credential has; an unknown user gets one too.
        byte[] salt = Arrays.copyOf(("salt-" + user).getBytes(StandardCharsets.UTF_8), 16);
        saltedPassword = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.SASL_PREPARATION,
                (known ? password : "no such user").toCharArray(), salt, ITERATIONS);
        serverFirst = new ServerFirstMessage(clientFirst.getClientNonce(), ScramFunctions.nonce(18, RANDOM),
                Base64.getEncoder().encodeToString(salt), ITERATIONS);
        return SaslStep.challenge(serverFirst.toString().getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep last(String text) {
        int proofAt = text.lastIndexOf(",p=");
        String withoutProof = text.substring(0, proofAt);
        String expectedStart = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8))
                + ",r=" + serverFirst.getNonce();
        if (!withoutProof.equals(expectedStart) && !withoutProof.startsWith(expectedStart + ",")) {
            return finish(AuthResult.INVALID);
        }
        if (directory.scramLocked(user)) {
            return finish(AuthResult.LOCKED);
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
        byte[] storedKey = ScramFunctions.storedKey(MECHANISM, ScramFunctions.clientKey(MECHANISM, saltedPassword));
        if (!known || !ScramFunctions.verifyClientProof(MECHANISM, proof, storedKey, authMessage)) {
            return finish(AuthResult.INVALID);
        }
        outcome = directory.scramOutcome(user);
        byte[] signature = ScramFunctions.serverSignature(MECHANISM,
                ScramFunctions.serverKey(MECHANISM, saltedPassword), authMessage);
        return SaslStep.challenge(("v=" + Base64.getEncoder().encodeToString(signature))
                .getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep finish(AuthResult result) {
        step = 3;
        return SaslStep.done(result);
    }
}
