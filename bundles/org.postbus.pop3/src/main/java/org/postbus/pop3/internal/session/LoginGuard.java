package org.postbus.pop3.internal.session;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a listener's sessions share about logins: recent failures per client address, which lock
 * an address out for a while, and the logged-in sessions per user, which are limited. Thread-safe.
 *
 * <p>The directory keeps its own lockout per account; this one stops an address that tries many
 * accounts.
 */
public final class LoginGuard {

    /** Beyond this many tracked addresses, expired entries are swept before adding another. */
    private static final int SWEEP_THRESHOLD = 10_000;

    private record Failures(int count, Instant first) {
    }

    private final int maxFailures;
    private final Duration window;
    private final int maxSessionsPerUser;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> sessions = new ConcurrentHashMap<>();

    /**
     * @param maxFailures failures within {@code window} after which an address is locked out
     * @param window how long failures count, and how long a lockout lasts
     * @param maxSessionsPerUser logged-in sessions of one user at once
     * @param clock the time
     */
    public LoginGuard(int maxFailures, Duration window, int maxSessionsPerUser, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.maxSessionsPerUser = maxSessionsPerUser;
        this.clock = clock;
    }

    /** Whether {@code address} may not try to log in now. */
    public boolean lockedOut(InetAddress address) {
        Failures current = failures.get(address);
        if (current == null) {
            return false;
        }
        if (expired(current, clock.instant())) {
            failures.remove(address, current);
            return false;
        }
        return current.count() >= maxFailures;
    }

    /** Records a failed login from {@code address}. */
    public void failed(InetAddress address) {
        Instant now = clock.instant();
        if (failures.size() > SWEEP_THRESHOLD) {
            failures.values().removeIf(entry -> expired(entry, now));
        }
        failures.merge(address, new Failures(1, now),
                (old, one) -> expired(old, now) ? one : new Failures(old.count() + 1, old.first()));
    }

    /** Forgets the failures of {@code address} after a successful login. */
    public void succeeded(InetAddress address) {
        failures.remove(address);
    }

    /**
     * Counts a logged-in session of {@code user}, unless the user already has the most allowed.
     *
     * @return whether the session may go on; if so, {@link #leave} must follow
     */
    public boolean enter(String user) {
        boolean[] admitted = {false};
        sessions.compute(key(user), (key, count) -> {
            int open = count == null ? 0 : count;
            if (open >= maxSessionsPerUser) {
                return count;
            }
            admitted[0] = true;
            return open + 1;
        });
        return admitted[0];
    }

    /** Forgets a session that {@link #enter} admitted. */
    public void leave(String user) {
        sessions.computeIfPresent(key(user), (key, count) -> count <= 1 ? null : count - 1);
    }

    private boolean expired(Failures entry, Instant now) {
        return entry.first().plus(window).isBefore(now);
    }

    private static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }
}
