package org.postbus.directory.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
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
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.DirectoryException;
import org.postbus.api.event.DirectoryEvents;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the directory file and offers it as the {@link Directory} service, and reports on it as
 * the health check {@code directory}.
 *
 * <p>The health check is a plain DS service, always present, so an administrator can read why the
 * directory is down. The {@link Directory} service is registered only once its file has been read:
 * Declarative Services registers a component's services before activating it, so a DS-declared
 * Directory would stay visible, yet unusable, after a failed start. Registering it here keeps a
 * malformed file from producing a service that consumers bind to and get nothing from.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.postbus.api.directory.Directory",
        uses = Directory.class)
@Component(name = DirectoryComponent.PID, configurationPid = DirectoryComponent.PID, service = HealthCheck.class,
        property = HealthCheck.NAME + "=directory", immediate = true)
@Designate(ocd = DirectoryConfig.class)
public class DirectoryComponent implements HealthCheck {

    /** Component name and configuration PID. */
    static final String PID = "org.postbus.directory";
    /** Framework property naming the server's data folder. */
    static final String DATA_PROPERTY = "postbus.data";

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    /** Where the first domain's name comes from when none is configured; replaced in tests. */
    Supplier<String> hostName = DirectoryComponent::localHostName;

    private volatile FileDirectory directory;
    private volatile Health failure = Health.down("not started");
    private ServiceRegistration<Directory> registration;

    @Activate
    void activate(BundleContext context, DirectoryConfig config) {
        Path dir = storageDir(config.storage_dir(), context.getProperty(DATA_PROPERTY));
        FileDirectory opened;
        try {
            DirectorySettings settings;
            try {
                settings = settings(config);
            } catch (IllegalArgumentException e) {
                throw new DirectoryFileException("configuration " + PID + ": " + e.getMessage(), e);
            }
            opened = FileDirectory.open(dir, settings, Clock.systemUTC(), this::post);
        } catch (DirectoryFileException e) {
            // One line, no stack trace: the message says all an administrator can act on.
            LOG.error("directory not started: {}", e.getMessage());
            failure = Health.down(e.getMessage());
            return;
        }
        addFirstDomain(opened, config.default_domain().strip());
        directory = opened;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_DESCRIPTION, "Postbus directory in " + opened.path());
        registration = context.registerService(Directory.class, opened, properties);
        LOG.info("directory started: {}", opened.summary());
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<Directory> current = registration;
        registration = null;
        if (current != null) {
            try {
                current.unregister();
            } catch (IllegalStateException e) {
                // Already gone with the stopping bundle.
            }
        }
        FileDirectory open = directory;
        directory = null;
        failure = Health.down("stopped");
        if (open != null) {
            open.close();
        }
    }

    @Override
    public Health check() {
        FileDirectory current = directory;
        return current == null ? failure : Health.up(current.summary());
    }

    /** The directory, once started; for tests. */
    FileDirectory directory() {
        return directory;
    }

    /** The storage folder: configured, else under the data folder, else {@code ./data/directory}. */
    static Path storageDir(String configured, String dataFolder) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        if (dataFolder != null && !dataFolder.isBlank()) {
            return Path.of(dataFolder.strip(), "directory");
        }
        return Path.of("data", "directory");
    }

    static DirectorySettings settings(DirectoryConfig config) {
        String defaultDomain = config.default_domain().strip();
        if (!defaultDomain.isEmpty() && !DomainNames.isValid(defaultDomain)) {
            LOG.warn("default_domain {} is not a valid domain name; ignored", DomainNames.shown(defaultDomain));
            defaultDomain = "";
        }
        return new DirectorySettings(defaultDomain.toLowerCase(Locale.ROOT),
                Duration.ofSeconds(Math.max(0, config.auth_cache_seconds())),
                Math.max(0, config.lockout_failures()),
                Duration.ofMinutes(Math.max(1, config.lockout_minutes())),
                new PasswordHasher.Params(config.argon2_memory_kib(), config.argon2_iterations(),
                        config.argon2_parallelism()),
                config.scram_iterations());
    }

    /**
     * On a fresh server, adds the configured default domain or else the host name, so that the
     * server receives mail for something before anyone configures it.
     */
    private void addFirstDomain(FileDirectory opened, String configured) {
        if (!opened.domains().isEmpty()) {
            return;
        }
        String name = configured;
        if (name.isEmpty()) {
            String host = hostName.get();
            if (host == null || !DomainNames.isValid(host)) {
                LOG.warn("the directory has no domain and the host name {} is not a valid domain name; add a domain "
                        + "or set default_domain", host == null ? "(unknown)" : DomainNames.shown(host));
                return;
            }
            name = host.toLowerCase(Locale.ROOT);
        } else if (!DomainNames.isValid(name)) {
            return; // already warned about in settings()
        }
        try {
            if (opened.addDomainIfNone(name)) {
                LOG.info("the directory had no domain; added {}", name);
            }
        } catch (DirectoryException e) {
            LOG.warn("could not add the first domain {}: {}", name, e.getMessage());
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private void post(String topic, String name, String change) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, Map.of(DirectoryEvents.NAME, name, DirectoryEvents.CHANGE, change)));
        }
    }
}
