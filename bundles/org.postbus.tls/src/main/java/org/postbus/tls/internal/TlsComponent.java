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
        service = {TlsService.class, HealthCheck.class},
        property = HealthCheck.NAME + "=" + TlsComponent.HEALTH_NAME)
@Designate(ocd = TlsConfiguration.class)
public final class TlsComponent implements TlsService, HealthCheck {

    /** Component name and configuration PID. */
    static final String PID = "org.postbus.tls";

    /** The value of {@link HealthCheck#NAME}. */
    static final String HEALTH_NAME = "tls";

    private final String dataDir;
    private final TlsIdentityManager manager;

    /** Loads the identity; a bad file is logged and reported, never fatal. */
    @Activate
    public TlsComponent(TlsConfiguration config, BundleContext context) throws GeneralSecurityException {
        this.dataDir = context.getProperty(TlsSettings.DATA_DIR_PROPERTY);
        this.manager = new TlsIdentityManager(TlsSettings.from(config, dataDir), Clock.systemUTC());
        manager.start();
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
