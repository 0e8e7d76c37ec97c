package org.postbus.directory.internal;

import java.time.Duration;
import java.util.Objects;
import org.postbus.directory.internal.scram.ScramCredential;

/**
 * The tunables of a {@link FileDirectory}, separate from the OSGi configuration so that tests
 * can build a directory without a framework.
 *
 * @param defaultDomain the domain a bare user name belongs to; empty: the first domain added
 * @param authCache how long a successful login is remembered; zero turns the cache off
 * @param lockoutFailures failures within {@code lockoutWindow} that lock a user; 0 turns it off
 * @param lockoutWindow how long a failure counts
 * @param argon2 the cost of new password hashes
 * @param scramIterations the PBKDF2 iteration count of new SCRAM-SHA-256 credentials
 */
record DirectorySettings(String defaultDomain, Duration authCache, int lockoutFailures, Duration lockoutWindow,
        PasswordHasher.Params argon2, int scramIterations) {

    /** The shipped defaults, as in {@link DirectoryConfig}. */
    static final DirectorySettings DEFAULTS = new DirectorySettings("", Duration.ofSeconds(60), 10,
            Duration.ofMinutes(15), PasswordHasher.Params.DEFAULT, ScramCredential.MIN_ITERATIONS);

    /** Checks the parts are present and the durations not negative. */
    DirectorySettings {
        Objects.requireNonNull(defaultDomain, "defaultDomain");
        Objects.requireNonNull(argon2, "argon2");
        if (authCache.isNegative() || lockoutWindow.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (scramIterations < ScramCredential.MIN_ITERATIONS || scramIterations > ScramCredential.MAX_ITERATIONS) {
            throw new IllegalArgumentException("scram iterations must be " + ScramCredential.MIN_ITERATIONS + ".."
                    + ScramCredential.MAX_ITERATIONS + ": " + scramIterations);
        }
    }

    DirectorySettings withArgon2(PasswordHasher.Params params) {
        return new DirectorySettings(defaultDomain, authCache, lockoutFailures, lockoutWindow, params, scramIterations);
    }

    DirectorySettings withDefaultDomain(String domain) {
        return new DirectorySettings(domain, authCache, lockoutFailures, lockoutWindow, argon2, scramIterations);
    }

    DirectorySettings withLockout(int failures, Duration window) {
        return new DirectorySettings(defaultDomain, authCache, failures, window, argon2, scramIterations);
    }

    DirectorySettings withScramIterations(int iterations) {
        return new DirectorySettings(defaultDomain, authCache, lockoutFailures, lockoutWindow, argon2, iterations);
    }

    DirectorySettings withAuthCache(Duration ttl) {
        return new DirectorySettings(defaultDomain, ttl, lockoutFailures, lockoutWindow, argon2, scramIterations);
    }
}
