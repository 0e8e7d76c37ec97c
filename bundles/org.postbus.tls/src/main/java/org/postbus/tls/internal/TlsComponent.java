package org.postbus.tls.internal;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.metatype.annotations.Designate;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.tls.TlsService;

/**
 * The TLS service and its health check ({@code postbus.health.name=tls}). Starts without any
 * configuration, on a self-signed certificate; see {@link TlsConfiguration}.
 */
@Component(
        name = TlsComponent.PID,
        configurationPid = TlsComponent.PID,
        service = {TlsService.class, HealthCheck.class, ConfigurationListener.class},
        immediate = true,
        property = HealthCheck.NAME + "=" + TlsComponent.HEALTH_NAME)
@Designate(ocd = TlsConfiguration.class)
public final class TlsComponent implements TlsService, HealthCheck, ConfigurationListener {

    /** Component name and configuration PID. */
    static final String PID = "org.postbus.tls";

    /** The value of {@link HealthCheck#NAME}. */
    static final String HEALTH_NAME = "tls";

    private final String dataDir;
    private final TlsIdentityManager manager;

    /** Present when Configuration Admin runs; the HTTPS keystore is published through it. */
    private volatile ConfigurationAdmin configurationAdmin;

    /** Loads the identity; a bad file is logged and reported, never fatal. */
    @Activate
    public TlsComponent(TlsConfiguration config, BundleContext context) throws GeneralSecurityException {
        this.dataDir = context.getProperty(TlsSettings.DATA_DIR_PROPERTY);
        this.manager = new TlsIdentityManager(TlsSettings.from(config, dataDir), Clock.systemUTC());
        manager.onChange(this::publishHttps);
        manager.start();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindConfigurationAdmin(ConfigurationAdmin admin) {
        configurationAdmin = admin;
        if (manager != null) {
            manager.identity().ifPresent(this::publishHttps);
        }
    }

    void unbindConfigurationAdmin(ConfigurationAdmin admin) {
        if (configurationAdmin == admin) {
            configurationAdmin = null;
        }
    }

    /**
     * The HTTP configuration may arrive after the certificate, or be replaced by an edit of its
     * file (which drops the fingerprint): either way, the keystore is published again.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (HttpsKeystore.HTTP_PID.equals(event.getPid()) && event.getType() == ConfigurationEvent.CM_UPDATED) {
            manager.identity().ifPresent(this::publishHttps);
        }
    }

    /**
     * Publishes on the calling thread, before the bundles after this one start: Felix HTTP then
     * gets the keystore with its first configuration and starts Jetty once. (Published later, the
     * update would restart a running Jetty and cut the requests it is serving.)
     */
    private void publishHttps(TlsIdentity identity) {
        ConfigurationAdmin admin = configurationAdmin;
        if (admin != null) {
            HttpsKeystore.publish(admin, identity);
        }
    }

    /** Takes a changed configuration without unregistering the service. */
    @Modified
    void modified(TlsConfiguration config) throws GeneralSecurityException {
        manager.reconfigure(TlsSettings.from(config, dataDir));
    }

    @Deactivate
    void deactivate() {
        manager.close();
    }

    @Override
    public SSLContext sslContext() {
        return manager.sslContext();
    }

    @Override
    public List<String> protocols() {
        return manager.protocols();
    }

    @Override
    public List<X509Certificate> certificateChain() {
        return manager.certificateChain();
    }

    @Override
    public boolean selfSigned() {
        return manager.selfSigned();
    }

    @Override
    public Health check() {
        return manager.health();
    }
}
