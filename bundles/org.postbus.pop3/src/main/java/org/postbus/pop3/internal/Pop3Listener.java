package org.postbus.pop3.internal;

import org.postbus.protocol.ProtocolListener;

/**
 * One listening POP3 port: the MINA acceptor, the worker threads that run its sessions, and its
 * health. Knows nothing of OSGi, so tests run it as it is. On close, connected clients are told
 * the server goes away once their command under way is done; sessions that did not QUIT keep
 * their messages (RFC 1939 6).
 */
public final class Pop3Listener extends ProtocolListener {

    /**
     * @param settings the listener's configuration
     * @param services the services its sessions use
     */
    public Pop3Listener(ListenerSettings settings, Services services) {
        super("POP3", settings, 1, (workers, timer) -> new Pop3IoHandler(settings, services, workers, timer));
    }
}
