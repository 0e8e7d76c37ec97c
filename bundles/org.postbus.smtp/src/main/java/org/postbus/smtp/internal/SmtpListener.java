package org.postbus.smtp.internal;

import org.postbus.protocol.ProtocolListener;

/**
 * One listening SMTP port: the MINA acceptor, the worker threads that run its sessions, and its
 * health. Knows nothing of OSGi, so tests run it as it is. On close, connected clients are told
 * 421 once their command under way is done.
 */
public final class SmtpListener extends ProtocolListener {

    private final ListenerSettings settings;

    /**
     * @param settings the listener's configuration
     * @param services the services its sessions use
     */
    public SmtpListener(ListenerSettings settings, Services services) {
        super("SMTP", settings, 1, (workers, timer) -> new SmtpIoHandler(settings, services, workers, timer));
        this.settings = settings;
    }

    @Override
    protected String description() {
        return " (" + settings.mode() + (settings.implicitTls() ? ", implicit TLS" : "") + ")";
    }
}
