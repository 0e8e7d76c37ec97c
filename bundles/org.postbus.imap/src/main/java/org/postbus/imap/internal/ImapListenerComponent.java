package org.postbus.imap.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
import org.postbus.api.store.MailStore;
import org.postbus.api.tls.TlsService;
import org.postbus.imap.internal.session.SessionRegistry;
import org.postbus.protocol.ListenerLifecycle;

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

    private final ListenerLifecycle<ImapListener> lifecycle =
            new ListenerLifecycle<>(ImapListenerComponent.class, "IMAP", FACTORY_PID);

    @Activate
    void activate(BundleContext context, ListenerConfig config, Map<String, Object> properties) {
        String pid = (String) properties.get(Constants.SERVICE_PID);
        lifecycle.activate(context, ListenerSettings.name(config.name(), pid),
                () -> new ImapListener(ListenerSettings.from(config, pid), this, registry,
                        spoolDir(context.getProperty(DATA_PROPERTY))));
    }

    private static Path spoolDir(String data) {
        return data == null || data.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "postbus-imap-spool")
                : Path.of(data, "spool", "imap");
    }

    @Deactivate
    void deactivate() {
        lifecycle.deactivate();
    }

    /** The listener, for tests. */
    ImapListener listener() {
        return lifecycle.listener();
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
