package org.postbus.api.directory;

import java.util.Objects;
import java.util.Optional;

/**
 * One step of a server-side SASL exchange: either a challenge for the client, or the outcome.
 *
 * @param challenge the bytes to send to the client (the protocol base64-encodes them) while the
 *     exchange goes on; empty once it is over
 * @param result the outcome once the exchange is over; empty while it goes on
 */
public record SaslStep(Optional<byte[]> challenge, Optional<AuthResult> result) {

    /** Checks that exactly one part is present. */
    public SaslStep {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(result, "result");
        if (challenge.isPresent() == result.isPresent()) {
            throw new IllegalArgumentException("a step is either a challenge or an outcome");
        }
    }

    /** The exchange goes on: send {@code bytes} to the client and pass its answer back. */
    public static SaslStep challenge(byte[] bytes) {
        return new SaslStep(Optional.of(bytes.clone()), Optional.empty());
    }

    /** The exchange is over. */
    public static SaslStep done(AuthResult result) {
        return new SaslStep(Optional.empty(), Optional.of(result));
    }

    /** Whether the exchange is over. */
    public boolean done() {
        return result.isPresent();
    }
}
