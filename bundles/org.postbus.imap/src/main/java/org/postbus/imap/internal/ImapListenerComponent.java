package org.postbus.imap.internal;

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
import org.postbus.imap.internal.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP listener per factory configuration {@code org.postbus.imap.listener~NAME}: binds in
 * activate, unbinds in deactivate, and registers the health check {@code imap-NAME}.
 *
 * <p>The store, the directory and the TLS service are dynamic: the listener runs without them
 * and answers NO [UNAVAILABLE] (or leaves out STARTTLS) until they come back.
 */
@Component(name = ImapListenerComponent.FACTORY_PID, configurationPid = ImapListenerComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class ImapListenerComponent implements Services {

    /** The factory PID, and the component's name. */
    static final String FACTORY_PID = "org.postbus.imap.listener";
    /** Framework property naming the server's data folder; large literals are spooled in its {@code spool/imap}. */
    static final String DATA_PROPERTY = "postbus.data";

    private static final Logger LOG = LoggerFactory.getLogger(ImapListenerComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Directory directory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MailStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TlsService tls;

    @Reference
    private SessionRegistry registry;

    private ImapListener listener;
    private ServiceRegistration<HealthCheck> healthRegistration;

    @Activate
    void activate(BundleContext context, ListenerConfig config, Map<String, Object> properties) {
        String pid = (String) properties.get(Constants.SERVICE_PID);
        HealthCheck check;
        String healthName;
        try {
            ListenerSettings settings = ListenerSettings.from(config, pid);
            healthName = settings.healthName();
            String data = context.getProperty(DATA_PROPERTY);
            java.nio.file.Path spool = data == null || data.isBlank()
                    ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "postbus-imap-spool")
                    : java.nio.file.Path.of(data, "spool", "imap");
            listener = new ImapListener(settings, this, registry, spool);
            listener.start();
            ImapListener started = listener;
            check = started::health;
        } catch (IllegalArgumentException e) {
            String name = ListenerSettings.name(config.name(), pid);
            LOG.error("IMAP listener '{}' not started: {}. Fix etc/{}-{}.cfg", name, e.getMessage(), FACTORY_PID, name);
            Health down = Health.down("invalid configuration: " + e.getMessage());
            healthName = "imap-" + name;
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
        ImapListener current = listener;
        listener = null;
        if (current != null) {
            current.close();
        }
    }

    /** The listener, for tests. */
    ImapListener listener() {
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
