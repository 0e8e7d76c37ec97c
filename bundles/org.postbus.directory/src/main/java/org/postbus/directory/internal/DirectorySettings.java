package org.postbus.directory.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The tunables of a {@link FileDirectory}, separate from the OSGi configuration so that tests
 * can build a directory without a framework.
 *
 * @param defaultDomain the domain a bare user name belongs to; empty: the first domain added
 * @param authCache how long a successful login is remembered; zero turns the cache off
 * @param lockoutFailures failures within {@code lockoutWindow} that lock a user; 0 turns it off
 * @param lockoutWindow how long a failure counts
 * @param argon2 the cost of new password hashes
 */
record DirectorySettings(String defaultDomain, Duration authCache, int lockoutFailures, Duration lockoutWindow,
        PasswordHasher.Params argon2) {

    /** The shipped defaults, as in {@link DirectoryConfig}. */
    static final DirectorySettings DEFAULTS = new DirectorySettings("", Duration.ofSeconds(60), 10,
            Duration.ofMinutes(15), PasswordHasher.Params.DEFAULT);

    /** Checks the parts are present and the durations not negative. */
    DirectorySettings {
        Objects.requireNonNull(defaultDomain, "defaultDomain");
        Objects.requireNonNull(argon2, "argon2");
        if (authCache.isNegative() || lockoutWindow.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    DirectorySettings withArgon2(PasswordHasher.Params params) {
        return new DirectorySettings(defaultDomain, authCache, lockoutFailures, lockoutWindow, params);
    }

    DirectorySettings withDefaultDomain(String domain) {
        return new DirectorySettings(domain, authCache, lockoutFailures, lockoutWindow, argon2);
    }

    DirectorySettings withLockout(int failures, Duration window) {
        return new DirectorySettings(defaultDomain, authCache, failures, window, argon2);
    }

    DirectorySettings withAuthCache(Duration ttl) {
        return new DirectorySettings(defaultDomain, ttl, lockoutFailures, lockoutWindow, argon2);
    }
}
