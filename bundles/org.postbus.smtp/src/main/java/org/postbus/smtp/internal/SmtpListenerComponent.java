package org.postbus.smtp.internal;

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
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.directory.Directory;
import org.postbus.api.tls.TlsService;
import org.postbus.protocol.ListenerLifecycle;

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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Directory directory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeliveryService delivery;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TlsService tls;

    private final ListenerLifecycle<SmtpListener> lifecycle =
            new ListenerLifecycle<>(SmtpListenerComponent.class, "SMTP", FACTORY_PID);

    @Activate
    void activate(BundleContext context, ListenerConfig config, Map<String, Object> properties) {
        String pid = (String) properties.get(Constants.SERVICE_PID);
        lifecycle.activate(context, ListenerSettings.name(config.name(), pid), () -> new SmtpListener(
                ListenerSettings.from(config, pid, context.getProperty(DATA_PROPERTY)), this));
    }

    @Deactivate
    void deactivate() {
        lifecycle.deactivate();
    }

    /** The listener, for tests. */
    SmtpListener listener() {
        return lifecycle.listener();
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
