package org.postbus.smtp.internal.session;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.postbus.api.mail.MailAddress;
import org.postbus.smtp.internal.ListenerSettings.AuthLimits;

/**
 * Failed logins on one listener, across its connections: a client that fails again and again
 * waits longer for each answer, and too many failures lock its address, or the account it
 * tries, for a while. This is the listener's own defence, kept apart from the directory's
 * lockout: it also stops a client that spreads its guesses over many accounts, and it refuses
 * before the directory spends a slow hash on the attempt.
 *
 * <p>The tables are bounded, the least recently failed entries making room first, so that
 * guessing from many addresses cannot exhaust memory. Thread-safe.
 */
public final class AuthThrottle {

    /** Entries kept per table. */
    static final int MAX_TRACKED = 10_000;

    private final AuthLimits limits;
    private final Duration baseDelay;
    private final Clock clock;
    private final Function<String, Optional<MailAddress>> accountsByName;
    private final Table addresses = new Table();
    private final Table accounts = new Table();

    /**
     * @param limits the counts and durations
     * @param baseDelay the pause before the reply to a first failure
     * @param clock the time
     */
    public AuthThrottle(AuthLimits limits, Duration baseDelay, Clock clock) {
        this(limits, baseDelay, clock, name -> Optional.empty());
    }

    /**
     * @param accounts the account a login name stands for (the directory's
     *     {@link org.postbus.api.directory.Directory#loginAddress}), so that {@code alice} and
     *     {@code alice@example.org} count as one account; empty when not known
     */
    public AuthThrottle(AuthLimits limits, Duration baseDelay, Clock clock,
            Function<String, Optional<MailAddress>> accounts) {
        this.limits = limits;
        this.baseDelay = baseDelay;
        this.clock = clock;
        this.accountsByName = accounts;
    }

    /** Whether AUTH from {@code client} is refused for now. */
    public boolean addressLocked(InetAddress client) {
        return addresses.locked(client.getHostAddress(), clock.instant());
    }

    /** Whether AUTH as {@code username} is refused for now. */
    public boolean accountLocked(String username) {
        return accounts.locked(accountKey(username), clock.instant());
    }

    /**
     * Records a failure from {@code client}, for {@code username} when it is known.
     *
     * @return how long to wait before answering it: the base delay, doubled for every recent
     *     failure from the address before this one, up to the configured maximum
     */
    public Duration failed(InetAddress client, String username) {
        Instant now = clock.instant();
        int recent = addresses.fail(client.getHostAddress(), now, limits.ipFailures());
        if (username != null && !username.isBlank()) {
            accounts.fail(accountKey(username), now, limits.accountFailures());
        }
        Duration delay = baseDelay.multipliedBy(1L << Math.min(recent - 1, 20));
        // The configured base delay is kept even when the maximum is set below it.
        Duration cap = limits.maxDelay().compareTo(baseDelay) > 0 ? limits.maxDelay() : baseDelay;
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    /** Forgets the account's failures after it logged in. */
    public void succeeded(String username) {
        if (username != null) {
            accounts.clear(accountKey(username));
        }
    }

    private String accountKey(String username) {
        String name = username.strip();
        Optional<MailAddress> address;
        try {
            address = accountsByName.apply(name);
        } catch (RuntimeException e) {
            address = Optional.empty();
        }
        return address.map(MailAddress::toString).orElse(name).toLowerCase(Locale.ROOT);
    }

    /** Failure times and lockouts by key. */
    private final class Table {

        private final class Entry {
            final Deque<Instant> failures = new ArrayDeque<>();
            Instant lockedUntil = Instant.MIN;
        }

        private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > MAX_TRACKED;
            }
        };

        synchronized boolean locked(String key, Instant now) {
            Entry entry = entries.get(key);
            return entry != null && now.isBefore(entry.lockedUntil);
        }

        /** Records a failure; returns the failures now in the window. */
        synchronized int fail(String key, Instant now, int limit) {
            Entry entry = entries.computeIfAbsent(key, k -> new Entry());
            Instant oldest = now.minus(limits.window());
            while (!entry.failures.isEmpty() && !entry.failures.peekFirst().isAfter(oldest)) {
                entry.failures.removeFirst();
            }
            entry.failures.addLast(now);
            int count = entry.failures.size();
            if (count >= limit) {
                entry.lockedUntil = now.plus(limits.lockout());
                // A lockout starts the count afresh: the next one takes as many failures again.
                entry.failures.clear();
            }
            return count;
        }

        synchronized void clear(String key) {
            entries.remove(key);
        }
    }
}
