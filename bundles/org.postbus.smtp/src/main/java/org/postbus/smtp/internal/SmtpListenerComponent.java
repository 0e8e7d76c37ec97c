package org.postbus.smtp.internal;

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
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.directory.Directory;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.tls.TlsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP listener per factory configuration {@code org.postbus.smtp.listener~NAME}: binds in
 * activate, unbinds in deactivate, and registers the health check {@code smtp-NAME}.
 *
 * <p>The directory, the delivery pipeline and the TLS service are dynamic: the listener runs
 * without them and answers 4xx (or leaves out STARTTLS) until they come. A configuration change
 * restarts the listener.
 */
@Component(name = SmtpListenerComponent.FACTORY_PID, configurationPid = SmtpListenerComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class SmtpListenerComponent implements Services {

    /** The factory PID, and the component's name. */
    static final String FACTORY_PID = "org.postbus.smtp.listener";
    /** Framework property naming the server's data folder; the spool is its {@code spool} folder. */
    static final String DATA_PROPERTY = "postbus.data";

    private static final Logger LOG = LoggerFactory.getLogger(SmtpListenerComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Directory directory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeliveryService delivery;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TlsService tls;

    private SmtpListener listener;
    private ServiceRegistration<HealthCheck> healthRegistration;

    @Activate
    void activate(BundleContext context, ListenerConfig config, Map<String, Object> properties) {
        String pid = (String) properties.get(Constants.SERVICE_PID);
        HealthCheck check;
        String healthName;
        try {
            ListenerSettings settings = ListenerSettings.from(config, pid, context.getProperty(DATA_PROPERTY));
            healthName = settings.healthName();
            listener = new SmtpListener(settings, this);
            listener.start();
            SmtpListener started = listener;
            check = started::health;
        } catch (IllegalArgumentException e) {
            String name = ListenerSettings.name(config.name(), pid);
            LOG.error("SMTP listener '{}' not started: {}. Fix etc/{}-{}.cfg", name, e.getMessage(), FACTORY_PID, name);
            Health down = Health.down("invalid configuration: " + e.getMessage());
            healthName = "smtp-" + name;
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
        SmtpListener current = listener;
        listener = null;
        if (current != null) {
            current.close();
        }
    }

    /** The listener, for tests. */
    SmtpListener listener() {
        return listener;
    }

    @Override
    public Optional<Directory> directory() {
        return Optional.ofNullable(directory);
    }

    @Override
    public Optional<DeliveryService> delivery() {
        return Optional.ofNullable(delivery);
    }

    @Override
    public Optional<TlsService> tls() {
        return Optional.ofNullable(tls);
    }
}
