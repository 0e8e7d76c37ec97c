package org.postbus.protocol;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a listener component does in activate and deactivate, whatever its protocol: make and
 * start the listener, register its {@link HealthCheck}, and undo both. An invalid configuration is
 * logged in one line and reported by a health check that is down, never thrown at the framework.
 *
 * <p>Declarative Services annotations are not inherited, so each protocol keeps its own
 * component class with its references and configuration, holds one of these, and calls it from
 * its {@code @Activate} and {@code @Deactivate} methods.
 *
 * @param <L> the protocol's listener
 */
public final class ListenerLifecycle<L extends ProtocolListener> {

    private final Class<?> component;
    private final String protocol;
    private final String factoryPid;
    private volatile L listener;
    private volatile ServiceRegistration<HealthCheck> registration;

    /**
     * @param component the component's class, which names the logger
     * @param protocol the protocol's name in log lines, such as {@code SMTP}; in lower case it
     *     starts the health check's name
     * @param factoryPid the component's factory PID, for the configuration file's name
     */
    public ListenerLifecycle(Class<?> component, String protocol, String factoryPid) {
        this.component = component;
        this.protocol = protocol;
        this.factoryPid = factoryPid;
    }

    /**
     * Makes and starts the listener and registers its health check.
     *
     * @param context the component's bundle context, where the health check is registered
     * @param name the listener's name, for the health check when the configuration is invalid
     * @param create makes the listener from the configuration; throws
     *     {@link IllegalArgumentException} for an invalid one
     */
    public void activate(BundleContext context, String name, Supplier<L> create) {
        L started = null;
        HealthCheck check;
        String healthName;
        try {
            started = create.get();
            started.start();
            healthName = started.settings().healthName();
            check = started::health;
        } catch (IllegalArgumentException e) {
            if (started != null) {
                started.close();
                started = null;
            }
            Logger log = LoggerFactory.getLogger(component);
            log.error("{} listener '{}' not started: {}. Fix etc/{}-{}.cfg", protocol, name, e.getMessage(),
                    factoryPid, name);
            Health down = Health.down("invalid configuration: " + e.getMessage());
            healthName = protocol.toLowerCase(Locale.ROOT) + "-" + name;
            check = () -> down;
        }
        listener = started;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, healthName);
        registration = context.registerService(HealthCheck.class, check, properties);
    }

    /** Withdraws the health check and closes the listener. */
    public void deactivate() {
        ServiceRegistration<HealthCheck> current = registration;
        registration = null;
        if (current != null) {
            try {
                current.unregister();
            } catch (IllegalStateException e) {
                // Already gone with the stopping bundle.
            }
        }
        L running = listener;
        listener = null;
        if (running != null) {
            running.close();
        }
    }

    /** The listener while active; null before, after, or when the configuration was invalid. */
    public L listener() {
        return listener;
    }
}
