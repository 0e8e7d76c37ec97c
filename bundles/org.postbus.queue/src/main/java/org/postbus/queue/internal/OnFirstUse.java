package org.postbus.queue.internal;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made by the first {@link #get()} and kept. The queue's DNS resolver and verifying TLS
 * context are needed only when a message goes out, and making them at start would load some 125
 * dnsjava classes and parse the JDK's trust store before the server is ready.
 *
 * @param <T> the value's type
 */
final class OnFirstUse<T> implements Supplier<T> {

    private final Supplier<? extends T> factory;
    private volatile T value;

    OnFirstUse(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = Objects.requireNonNull(factory.get(), "made nothing");
                    value = current;
                }
            }
        }
        return current;
    }

    /** Whether the value has been made; for tests. */
    boolean made() {
        return value != null;
    }
}
