package org.postbus.store.file.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Directory;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the embedded store and offers it as the {@link MailStore} service, and reports on it as
 * the health check {@code store}.
 *
 * <p>The health check is a plain DS service, always present, so an administrator can read why
 * the store is down. The {@link MailStore} service is registered only once the store is open:
 * Declarative Services registers a component's services before activating it, so a DS-declared
 * MailStore would stay visible, yet unusable, after a failed start.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.postbus.api.store.MailStore",
        uses = MailStore.class)
@Component(name = StoreComponent.PID, configurationPid = StoreComponent.PID, service = HealthCheck.class,
        property = HealthCheck.NAME + "=store", immediate = true)
@Designate(ocd = StoreConfig.class)
public class StoreComponent implements HealthCheck {

    /** Component name and configuration PID. */
    static final String PID = "org.postbus.store.file";
    /** Framework property naming the server's data folder. */
    static final String DATA_PROPERTY = "postbus.data";

    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Directory directory;

    private volatile FileMailStore store;
    private volatile Health failure = Health.down("not started");
    private ServiceRegistration<MailStore> registration;

    @Activate
    void activate(BundleContext context, StoreConfig config) {
        Path dir = storageDir(config.storage_dir(), context.getProperty(DATA_PROPERTY));
        FileMailStore opened;
        try {
            FileMailStore.Settings settings = new FileMailStore.Settings(
                    (long) Math.max(1, config.segment_size_mib()) << 20, Math.max(1, config.index_cache_mib()),
                    Math.max(1, config.read_channels()), compaction(config), expungeHistory(config));
            opened = new FileMailStore(dir, settings, this::quota, this::post, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            LOG.error("mail store not started: invalid configuration: {}", e.getMessage());
            failure = Health.down("invalid configuration: " + e.getMessage());
            return;
        } catch (StoreException e) {
            // One line, no stack trace: the message says all an administrator can act on.
            LOG.error("mail store not started: {}", e.getMessage());
            failure = Health.down(e.getMessage());
            return;
        }
        store = opened;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_DESCRIPTION, "Postbus embedded mail store in " + dir);
        registration = context.registerService(MailStore.class, opened, properties);
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<MailStore> current = registration;
        registration = null;
        if (current != null) {
            try {
                current.unregister();
            } catch (IllegalStateException e) {
                // Already gone with the stopping bundle.
            }
        }
        FileMailStore open = store;
        store = null;
        failure = Health.down("stopped");
        if (open != null) {
            open.close();
        }
    }

    @Override
    public Health check() {
        FileMailStore current = store;
        if (current == null) {
            return failure;
        }
        String problem = current.failure();
        return problem == null ? Health.up("open in " + current.root()) : Health.down(problem);
    }

    /** The store, once started; for tests. */
    FileMailStore store() {
        return store;
    }

    /**
     * The compaction policy the configuration gives.
     *
     * @throws IllegalArgumentException naming the key that is out of range
     */
    static Compactor.Policy compaction(StoreConfig config) {
        int percent = config.segment_compact_below_percent();
        int waste = config.segment_compact_min_waste_mib();
        int rate = config.segment_compact_rate_mib();
        int interval = config.segment_compact_interval_seconds();
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("segment.compact.below.percent must lie in 0 to 100: " + percent);
        }
        if (waste < 0) {
            throw new IllegalArgumentException("segment.compact.min.waste.mib must not be negative: " + waste);
        }
        if (rate < 1) {
            throw new IllegalArgumentException("segment.compact.rate.mib must be at least 1: " + rate);
        }
        if (interval < 0) {
            throw new IllegalArgumentException("segment.compact.interval.seconds must not be negative: " + interval);
        }
        return new Compactor.Policy(percent, (long) waste << 20, (long) rate << 20, interval * 1000L);
    }

    /**
     * How much expunge history the configuration keeps.
     *
     * @throws IllegalArgumentException naming the key that is out of range
     */
    static ExpungeHistory.Policy expungeHistory(StoreConfig config) {
        return new ExpungeHistory.Policy(config.expunge_history_max(), config.expunge_history_days());
    }

    /** The storage folder: configured, else under the data folder, else {@code ./data/store}. */
    static Path storageDir(String configured, String dataFolder) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        if (dataFolder != null && !dataFolder.isBlank()) {
            return Path.of(dataFolder.strip(), "store");
        }
        return Path.of("data", "store");
    }

    /** The quota the directory gives the user; none without a directory or an account. */
    private Long quota(MailAddress user) {
        Directory current = directory;
        if (current == null) {
            return Account.UNLIMITED;
        }
        return current.account(user).map(Account::quotaBytes).orElse(Account.UNLIMITED);
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }
}
