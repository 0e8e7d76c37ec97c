package org.postbus.imap.internal;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.session.IoSession;
import org.postbus.api.tls.TlsService;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.SessionContext;
import org.postbus.protocol.ProtocolConnection;
import org.postbus.protocol.ProtocolIoHandler;

/** MINA's events for one IMAP listener: each admitted connection runs an {@link ImapSession}. */
final class ImapIoHandler extends ProtocolIoHandler {

    private final ListenerSettings settings;
    private final SessionContext context;
    private final Executor workers;
    private final ScheduledExecutorService timer;

    ImapIoHandler(ListenerSettings settings, SessionContext context, Executor workers,
            ScheduledExecutorService timer) {
        super(settings, "* BYE [UNAVAILABLE] Too many connections, try again later\r\n");
        this.settings = settings;
        this.context = context;
        this.workers = workers;
        this.timer = timer;
    }

    @Override
    protected ProtocolConnection connect(IoSession io, InetAddress client) {
        Connection connection = new Connection(io, settings, workers, timer);
        connection.attach(new ImapSession(context, client, settings.implicitTls(), connection));
        return connection;
    }

    @Override
    protected Optional<TlsService> tls() {
        return context.services().tls();
    }
}
