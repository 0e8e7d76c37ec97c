package org.postbus.directory.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed logins per user name in a sliding window and locks the name once the count
 * reaches the limit, until enough failures have aged out of the window.
 *
 * <p>Names are tracked whether or not an account exists: locking only real accounts would tell
 * an attacker which names are real. The table is bounded so that guessing random names cannot
 * exhaust memory; the oldest entries make room first.
 */
final class FailureLockout {

    /** More names than this and the least recently failed ones are forgotten. */
    static final int MAX_TRACKED = 10_000;

    private final int limit;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    /**
     * @param limit failures that lock a name; 0 or less turns locking off
     * @param window how long a failure counts
     */
    FailureLockout(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    /** Whether {@code key} is locked at {@code now}. */
    synchronized boolean isLocked(String key, Instant now) {
        if (limit <= 0) {
            return false;
        }
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return false;
        }
        prune(times, now);
        if (times.isEmpty()) {
            failures.remove(key);
            return false;
        }
        return times.size() >= limit;
    }

    /**
     * Records a failure.
     *
     * @return whether this failure locked the name
     */
    synchronized boolean recordFailure(String key, Instant now) {
        if (limit <= 0) {
            return false;
        }
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        prune(times, now);
        times.addLast(now);
        while (times.size() > limit) {
            times.removeFirst();
        }
        return times.size() == limit;
    }

    /** Forgets the failures of a name, after a successful login. */
    synchronized void reset(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant oldest = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.removeFirst();
        }
    }
}
