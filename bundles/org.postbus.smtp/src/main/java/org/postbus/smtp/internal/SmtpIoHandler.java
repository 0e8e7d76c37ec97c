package org.postbus.smtp.internal;

import org.postbus.protocol.ConnectionLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.postbus.api.tls.TlsService;
import org.postbus.smtp.internal.command.CommandTable;
import org.postbus.smtp.internal.session.AuthThrottle;
import org.postbus.smtp.internal.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's events for one listener, on the I/O threads: admits or refuses connections, and passes
 * everything else to the session's {@link Connection} without blocking.
 */
final class SmtpIoHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpIoHandler.class);
    private static final AttributeKey ADMITTED = new AttributeKey(SmtpIoHandler.class, "admitted");

    private final ListenerSettings settings;
    private final Services services;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final ConnectionLimits limits;
    private final CommandTable commands = new CommandTable();
    private final AuthThrottle authThrottle;

    SmtpIoHandler(ListenerSettings settings, Services services, Executor workers, ScheduledExecutorService timer) {
        this.settings = settings;
        this.services = services;
        this.workers = workers;
        this.timer = timer;
        this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerIp());
        this.authThrottle = new AuthThrottle(settings.authLimits(), settings.authFailureDelay(), Clock.systemUTC());
    }

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
        Connection connection = new Connection(io, settings, workers, timer);
        connection.attach(new SmtpSession(settings, services, client, settings.implicitTls(), connection, commands,
                authThrottle));
        io.setAttribute(Connection.KEY, connection);
    }

    @Override
    public void sessionOpened(IoSession io) {
        Connection connection = connection(io);
        if (connection != null) {
            connection.opened();
        } else if (io.getAttribute(ADMITTED) == null && !settings.implicitTls()) {
            io.write(IoBuffer.wrap(("421 4.7.0 " + settings.hostname()
                    + " Too many connections, try again later\r\n").getBytes(StandardCharsets.US_ASCII)));
            io.closeOnFlush();
        } else {
            io.closeNow();
        }
    }

    @Override
    public void messageReceived(IoSession io, Object message) {
        Connection connection = connection(io);
        if (connection != null && message instanceof IoBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            connection.received(bytes);
        }
    }

    @Override
    public void messageSent(IoSession io, Object message) {
        Connection connection = connection(io);
        if (connection != null) {
            connection.sent(message);
        }
    }

    @Override
    public void sessionIdle(IoSession io, IdleStatus status) {
        Connection connection = connection(io);
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
        Connection connection = connection(io);
        if (connection != null) {
            connection.closed();
        }
    }

    @Override
    public void exceptionCaught(IoSession io, Throwable cause) {
        // Resets, handshake failures and the like are the client's business: no stack trace.
        if (cause instanceof IOException || cause.getCause() instanceof IOException) {
            LOG.debug("{}: {}: {}", settings.healthName(), io.getRemoteAddress(), cause.toString());
        } else {
            LOG.warn("{}: error on the connection with {}", settings.healthName(), io.getRemoteAddress(), cause);
        }
        io.closeNow();
    }

    /** Tells every open session that the listener stops. */
    void stopAll(Iterable<IoSession> sessions) {
        for (IoSession io : sessions) {
            Connection connection = connection(io);
            if (connection != null) {
                connection.stop();
            } else {
                io.closeNow();
            }
        }
    }

    int openConnections() {
        return limits.open();
    }

    private boolean addTls(IoSession io) {
        try {
            TlsService tls = services.tls().orElse(null);
            if (tls == null) {
                LOG.warn("{}: no TLS service, refusing a connection from {}", settings.healthName(), io.getRemoteAddress());
                return false;
            }
            io.getFilterChain().addFirst("tls", filter(tls.sslContext(), tls.protocols()));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot start TLS: {}", settings.healthName(), e.toString());
            return false;
        }
    }

    static SslFilter filter(SSLContext context, List<String> protocols) {
        SslFilter filter = new SslFilter(context);
        if (!protocols.isEmpty()) {
            filter.setEnabledProtocols(protocols.toArray(String[]::new));
        }
        return filter;
    }

    private static Connection connection(IoSession io) {
        return (Connection) io.getAttribute(Connection.KEY);
    }
}
