package org.postbus.queue.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Open SMTP connections waiting for the next message to the same destination, so that a burst
 * of mail for one domain goes over one connection. A connection is lent to one delivery at a time
 * and closed once it has been idle too long.
 */
final class ConnectionPool {

    private record Idle(SmtpClient.Connection connection, long since) {
    }

    private final Map<String, Deque<Idle>> idle = new HashMap<>();
    private final long maxIdleNanos;
    private boolean closed;

    ConnectionPool(long maxIdleMillis) {
        this.maxIdleNanos = maxIdleMillis * 1_000_000L;
    }

    /** An idle connection to {@code key}, taken out of the pool; null if there is none. */
    synchronized SmtpClient.Connection take(String key) {
        Deque<Idle> d = idle.get(key);
        while (d != null && !d.isEmpty()) {
            Idle i = d.pollLast();
            if (System.nanoTime() - i.since < maxIdleNanos && i.connection.reusable()) {
                return i.connection;
            }
            i.connection.close();
        }
        return null;
    }

    /** Gives a connection back after a transaction; closes it when it cannot be reused. */
    void give(String key, SmtpClient.Connection c) {
        synchronized (this) {
            if (!closed && maxIdleNanos > 0 && c.reusable()) {
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Idle(c, System.nanoTime()));
                return;
            }
        }
        c.close();
    }

    /** Closes connections idle for too long (QUIT goes out here, off the delivery threads). */
    void reap() {
        List<SmtpClient.Connection> stale = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            for (Iterator<Deque<Idle>> it = idle.values().iterator(); it.hasNext();) {
                Deque<Idle> d = it.next();
                d.removeIf(i -> {
                    if (now - i.since >= maxIdleNanos || !i.connection.reusable()) {
                        stale.add(i.connection);
                        return true;
                    }
                    return false;
                });
                if (d.isEmpty()) {
                    it.remove();
                }
            }
        }
        stale.forEach(SmtpClient.Connection::close);
    }

    /** Closes every idle connection and accepts no more. */
    void close() {
        List<SmtpClient.Connection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(d -> d.forEach(i -> all.add(i.connection)));
            idle.clear();
        }
        all.forEach(SmtpClient.Connection::close);
    }

    synchronized int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }
}
