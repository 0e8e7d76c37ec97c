package org.postbus.directory.internal.scram;

import org.postbus.api.directory.AuthResult;

/** What a {@link ScramExchange} asks of the directory. */
public interface ScramUsers {

    /**
     * The credential to challenge {@code username} with: the account's own, or for an unknown
     * user (or one without SCRAM credentials yet) a fake one that is always the same for the
     * same name, so the challenge does not tell who exists.
     */
    ScramCredential challenge(String username);

    /**
     * Decides the outcome once the client's proof has been checked against {@code offered}:
     * lockout, whether {@code offered} is still the account's credential, disabled accounts.
     * Counts failures as a password login would.
     */
    AuthResult finish(String username, ScramCredential offered, boolean proofValid);
}
