package org.postbus.pop3.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.postbus.api.directory.Directory;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.store.MailStore;
import org.postbus.api.tls.TlsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 listener per factory configuration {@code org.postbus.pop3.listener~NAME}: binds in
 * activate, unbinds in deactivate, and registers the health check {@code pop3-NAME}.
 *
 * <p>The directory, the store and the TLS service are dynamic: without them the listener still
 * answers, refusing logins with {@code -ERR [SYS/TEMP]} (or leaving out STLS) until they come.
 */
@Component(name = Pop3ListenerComponent.FACTORY_PID, configurationPid = Pop3ListenerComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class Pop3ListenerComponent implements Services {

    /** The factory PID, and the component's name. */
    static final String FACTORY_PID = "org.postbus.pop3.listener";

    private static final Logger LOG = LoggerFactory.getLogger(Pop3ListenerComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Directory directory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MailStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TlsService tls;

    private Pop3Listener listener;
    private ServiceRegistration<HealthCheck> healthRegistration;

    @Activate
    void activate(BundleContext context, ListenerConfig config, Map<String, Object> properties) {
        String pid = (String) properties.get(Constants.SERVICE_PID);
        HealthCheck check;
        String healthName;
        try {
            ListenerSettings settings = ListenerSettings.from(config, pid);
            healthName = settings.healthName();
            listener = new Pop3Listener(settings, this);
            listener.start();
            Pop3Listener started = listener;
            check = started::health;
        } catch (IllegalArgumentException e) {
            String name = ListenerSettings.name(config.name(), pid);
            LOG.error("POP3 listener '{}' not started: {}. Fix etc/{}-{}.cfg", name, e.getMessage(), FACTORY_PID, name);
            Health down = Health.down("invalid configuration: " + e.getMessage());
            healthName = "pop3-" + name;
            check = () -> down;
        }
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(HealthCheck.NAME, healthName);
        healthRegistration = context.registerService(HealthCheck.class, check, serviceProperties);
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<HealthCheck> registration = healthRegistration;
        healthRegistration = null;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // Already gone with the stopping bundle.
            }
        }
        Pop3Listener current = listener;
        listener = null;
        if (current != null) {
            current.close();
        }
    }

    /** The listener, for tests. */
    Pop3Listener listener() {
        return listener;
    }

    @Override
    public Optional<Directory> directory() {
        return Optional.ofNullable(directory);
    }

    @Override
    public Optional<MailStore> store() {
        return Optional.ofNullable(store);
    }

    @Override
    public Optional<TlsService> tls() {
        return Optional.ofNullable(tls);
    }
}
