package org.postbus.api.directory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A server-side SASL exchange started by {@link Directory#startSasl}: the protocol bundle passes
 * each decoded client response in and relays each challenge out until the exchange is over.
 * One exchange per authentication attempt; not thread-safe. May block (key derivation): never
 * call it on a network I/O thread.
 */
@ProviderType
public interface SaslExchange {

    /** The mechanism's name, for example {@code SCRAM-SHA-256}. */
    String mechanism();

    /**
     * Takes the client's next response (for the first step, the initial response; an empty
     * array when the client sent none) and answers with a challenge or the outcome. A malformed
     * response ends the exchange with {@link AuthResult#INVALID}.
     */
    SaslStep evaluate(byte[] response);
}
