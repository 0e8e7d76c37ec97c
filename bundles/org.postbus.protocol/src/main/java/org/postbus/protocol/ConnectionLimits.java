package org.postbus.protocol;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts a listener's open connections, in all and per client address. Thread-safe. */
public final class ConnectionLimits {

    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /** Limits of {@code max} connections in all and {@code maxPerAddress} from one address. */
    public ConnectionLimits(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address}, unless a limit is reached. */
    public boolean acquire(InetAddress address) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            return false;
        }
        boolean[] admitted = {false};
        perAddress.compute(address, (key, count) -> {
            int open = count == null ? 0 : count;
            if (open >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return open + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
        }
        return admitted[0];
    }

    /** Forgets a connection that {@link #acquire} admitted. */
    public void release(InetAddress address) {
        perAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }

    /** Open connections, for tests and health. */
    public int open() {
        return total.get();
    }
}
