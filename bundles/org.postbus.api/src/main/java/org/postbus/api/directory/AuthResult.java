package org.postbus.api.directory;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an authentication attempt.
 *
 * @param status what happened
 * @param account the authenticated account when {@code status} is {@link Status#SUCCESS}
 */
public record AuthResult(Status status, Optional<Account> account) {

    /** What happened to an authentication attempt. */
    public enum Status {
        /** The credentials are right and the account may log in. */
        SUCCESS,
        /** Unknown user or wrong password; callers must not tell the two apart to the client. */
        INVALID_CREDENTIALS,
        /** The credentials may be right, but the account is disabled. */
        DISABLED,
        /** Too many recent failures for this account: try again later. */
        LOCKED
    }

    /** Failed: unknown user or wrong password. */
    public static final AuthResult INVALID = new AuthResult(Status.INVALID_CREDENTIALS, Optional.empty());
    /** Refused: the account is disabled. */
    public static final AuthResult DISABLED = new AuthResult(Status.DISABLED, Optional.empty());
    /** Refused for now: too many failures. */
    public static final AuthResult LOCKED = new AuthResult(Status.LOCKED, Optional.empty());

    /** Checks that an account is present exactly on success. */
    public AuthResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(account, "account");
        if ((status == Status.SUCCESS) != account.isPresent()) {
            throw new IllegalArgumentException("an account is given exactly on success");
        }
    }

    /** A successful authentication of {@code account}. */
    public static AuthResult success(Account account) {
        return new AuthResult(Status.SUCCESS, Optional.of(account));
    }

    /** Whether the attempt succeeded. */
    public boolean succeeded() {
        return status == Status.SUCCESS;
    }
}
