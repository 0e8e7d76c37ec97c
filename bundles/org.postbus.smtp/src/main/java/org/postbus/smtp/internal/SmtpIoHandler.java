package org.postbus.smtp.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.session.IoSession;
import org.postbus.api.tls.TlsService;
import org.postbus.protocol.ProtocolConnection;
import org.postbus.protocol.ProtocolIoHandler;
import org.postbus.smtp.internal.command.CommandTable;
import org.postbus.smtp.internal.session.AuthThrottle;
import org.postbus.smtp.internal.session.SmtpSession;

/** MINA's events for one SMTP listener: each admitted connection runs an {@link SmtpSession}. */
final class SmtpIoHandler extends ProtocolIoHandler {

    private final ListenerSettings settings;
    private final Services services;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final CommandTable commands = new CommandTable();
    private final AuthThrottle authThrottle;

    SmtpIoHandler(ListenerSettings settings, Services services, Executor workers, ScheduledExecutorService timer) {
        super(settings, "421 4.7.0 " + settings.hostname() + " Too many connections, try again later\r\n");
        this.settings = settings;
        this.services = services;
        this.workers = workers;
        this.timer = timer;
        this.authThrottle = new AuthThrottle(settings.authLimits(), settings.authFailureDelay(), Clock.systemUTC(),
                name -> services.directory().flatMap(d -> d.loginAddress(name)));
    }

    @Override
    protected ProtocolConnection connect(IoSession io, InetAddress client) {
        Connection connection = new Connection(io, settings, workers, timer);
        connection.attach(new SmtpSession(settings, services, client, settings.implicitTls(), connection, commands,
                authThrottle));
        return connection;
    }

    @Override
    protected Optional<TlsService> tls() {
        return services.tls();
    }
}
