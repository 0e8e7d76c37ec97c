package org.postbus.pop3.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.session.IoSession;
import org.postbus.api.tls.TlsService;
import org.postbus.pop3.internal.command.CommandTable;
import org.postbus.pop3.internal.session.LoginGuard;
import org.postbus.pop3.internal.session.Pop3Session;
import org.postbus.protocol.ProtocolConnection;
import org.postbus.protocol.ProtocolIoHandler;

/** MINA's events for one POP3 listener: each admitted connection runs a {@link Pop3Session}. */
final class Pop3IoHandler extends ProtocolIoHandler {

    private final ListenerSettings settings;
    private final Services services;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final CommandTable commands = new CommandTable();
    private final LoginGuard guard;

    Pop3IoHandler(ListenerSettings settings, Services services, Executor workers, ScheduledExecutorService timer) {
        super(settings, "-ERR [SYS/TEMP] Too many connections, try again later\r\n");
        this.settings = settings;
        this.services = services;
        this.workers = workers;
        this.timer = timer;
        this.guard = new LoginGuard(settings.lockoutFailures(), settings.lockoutTime(),
                settings.maxConnectionsPerUser(), Clock.systemUTC());
    }

    @Override
    protected ProtocolConnection connect(IoSession io, InetAddress client) {
        Connection connection = new Connection(io, settings, workers, timer);
        connection.attach(new Pop3Session(settings, services, guard, client, settings.implicitTls(), connection,
                commands));
        return connection;
    }

    @Override
    protected Optional<TlsService> tls() {
        return services.tls();
    }
}
