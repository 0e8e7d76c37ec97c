package org.postbus.protocol;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.postbus.api.tls.TlsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's events for one listener, on the I/O threads: admits or refuses connections under the
 * listener's {@link ConnectionLimits}, puts TLS first on an implicit-TLS port, and passes
 * everything else to the session's {@link ProtocolConnection} without blocking. A protocol says
 * how a connection starts and what a refused client is told.
 */
public abstract class ProtocolIoHandler extends IoHandlerAdapter {

    private static final AttributeKey ADMITTED = new AttributeKey(ProtocolIoHandler.class, "admitted");
    private static final AttributeKey CONNECTION = new AttributeKey(ProtocolIoHandler.class, "connection");

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final ProtocolSettings settings;
    private final ConnectionLimits limits;
    private final byte[] tooManyConnections;

    /**
     * @param settings the listener's configuration
     * @param tooManyConnections the line, CRLF included, that a plain connection over the limits is
     *     told before it is closed
     */
    protected ProtocolIoHandler(ProtocolSettings settings, String tooManyConnections) {
        this.settings = settings;
        this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerIp());
        this.tooManyConnections = tooManyConnections.getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts the session of an admitted connection from {@code client}; I/O thread, must not block. */
    protected abstract ProtocolConnection connect(IoSession io, InetAddress client);

    /** The TLS service, if there is one now. */
    protected abstract Optional<TlsService> tls();

    @Override
    public void sessionCreated(IoSession io) {
        InetAddress client = ((InetSocketAddress) io.getRemoteAddress()).getAddress();
        if (!limits.acquire(client)) {
            return;
        }
        io.setAttribute(ADMITTED, client);
        if (settings.implicitTls() && !addTls(io)) {
            io.closeNow();
            return;
        }
        io.setAttribute(CONNECTION, connect(io, client));
    }

    @Override
    public void sessionOpened(IoSession io) {
        ProtocolConnection connection = connection(io);
        if (connection != null) {
            connection.opened();
        } else if (io.getAttribute(ADMITTED) == null && !settings.implicitTls()) {
            io.write(IoBuffer.wrap(tooManyConnections));
            io.closeOnFlush();
        } else {
            io.closeNow();
        }
    }

    @Override
    public void messageReceived(IoSession io, Object message) {
        ProtocolConnection connection = connection(io);
        if (connection != null && message instanceof IoBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            connection.received(bytes);
        }
    }

    @Override
    public void messageSent(IoSession io, Object message) {
        ProtocolConnection connection = connection(io);
        if (connection != null) {
            connection.sent(message);
        }
    }

    @Override
    public void sessionIdle(IoSession io, IdleStatus status) {
        ProtocolConnection connection = connection(io);
        if (connection != null) {
            connection.idle();
        }
    }

    @Override
    public void sessionClosed(IoSession io) {
        Object client = io.removeAttribute(ADMITTED);
        if (client != null) {
            limits.release((InetAddress) client);
        }
        ProtocolConnection connection = connection(io);
        if (connection != null) {
            connection.closed();
        }
    }

    @Override
    public void exceptionCaught(IoSession io, Throwable cause) {
        // Resets, handshake failures and the like are the client's business: no stack trace.
        if (cause instanceof IOException || cause.getCause() instanceof IOException) {
            log.debug("{}: {}: {}", settings.healthName(), io.getRemoteAddress(), cause.toString());
        } else {
            log.warn("{}: error on the connection with {}", settings.healthName(), io.getRemoteAddress(), cause);
        }
        io.closeNow();
    }

    /** Tells every open session that the listener stops. */
    public void stopAll(Iterable<IoSession> sessions) {
        for (IoSession io : sessions) {
            ProtocolConnection connection = connection(io);
            if (connection != null) {
                connection.stop();
            } else {
                io.closeNow();
            }
        }
    }

    /** Open connections now. */
    public int openConnections() {
        return limits.open();
    }

    /**
     * A server-side TLS filter.
     *
     * @param context the TLS service's context
     * @param protocols the protocol versions to enable; empty for the context's defaults
     */
    public static SslFilter tlsFilter(SSLContext context, List<String> protocols) {
        SslFilter filter = new SslFilter(context);
        if (!protocols.isEmpty()) {
            filter.setEnabledProtocols(protocols.toArray(String[]::new));
        }
        return filter;
    }

    private boolean addTls(IoSession io) {
        try {
            TlsService tls = tls().orElse(null);
            if (tls == null) {
                log.warn("{}: no TLS service, refusing a connection from {}", settings.healthName(),
                        io.getRemoteAddress());
                return false;
            }
            io.getFilterChain().addFirst("tls", tlsFilter(tls.sslContext(), tls.protocols()));
            return true;
        } catch (RuntimeException e) {
            log.warn("{}: cannot start TLS: {}", settings.healthName(), e.toString());
            return false;
        }
    }

    private static ProtocolConnection connection(IoSession io) {
        return (ProtocolConnection) io.getAttribute(CONNECTION);
    }
}
