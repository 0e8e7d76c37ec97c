package org.postbus.pop3.internal;

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
import org.postbus.protocol.ListenerLifecycle;

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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Directory directory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MailStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TlsService tls;

    private final ListenerLifecycle<Pop3Listener> lifecycle =
            new ListenerLifecycle<>(Pop3ListenerComponent.class, "POP3", FACTORY_PID);

    @Activate
    void activate(BundleContext context, ListenerConfig config, Map<String, Object> properties) {
        String pid = (String) properties.get(Constants.SERVICE_PID);
        lifecycle.activate(context, ListenerSettings.name(config.name(), pid),
                () -> new Pop3Listener(ListenerSettings.from(config, pid), this));
    }

    @Deactivate
    void deactivate() {
        lifecycle.deactivate();
    }

    /** The listener, for tests. */
    Pop3Listener listener() {
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
