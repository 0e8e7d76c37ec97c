package org.postbus.smtp.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.directory.Directory;
import org.postbus.api.tls.TlsService;
import org.postbus.testkit.FakeDirectory;
import org.postbus.testkit.TestTls;

/**
 * A listener on 127.0.0.1 and a free port, with a fake directory and delivery and a real TLS
 * identity; each service can be taken away and given back while it runs.
 */
final class TestServer implements Services, AutoCloseable {

    final FakeDirectory directory = FakeDirectory.exampleOrg();
    final FakeDelivery delivery = new FakeDelivery();
    volatile boolean directoryPresent = true;
    volatile boolean deliveryPresent = true;
    volatile boolean tlsPresent = true;
    final ListenerSettings settings;
    final SmtpListener listener;

    private TestServer(ListenerSettings settings) {
        this.settings = settings;
        this.listener = new SmtpListener(settings, this);
        if (!listener.start()) {
            throw new IllegalStateException(listener.health().detail());
        }
    }

    /** Default settings, as the configuration's defaults, changed by {@code change}. */
    static TestServer start(Path spool, UnaryOperator<ListenerSettings> change) {
        return new TestServer(change.apply(defaults(spool)));
    }

    static TestServer start(Path spool) {
        return start(spool, settings -> settings);
    }

    static ListenerSettings defaults(Path spool) {
        return new ListenerSettings("test", "127.0.0.1", 0, Mode.MTA, false, true, false, true, true, 52428800L,
                100, 1000, Duration.ofSeconds(300), Duration.ofSeconds(300), 500, 50, 20, 3, Duration.ofMillis(50),
                "mx.example.test", spool, ListenerSettings.DEFAULT_SPOOL_THRESHOLD, 100,
                ListenerSettings.AuthLimits.DEFAULTS);
    }

    int port() {
        return listener.localAddress().getPort();
    }

    SmtpClient connect() throws Exception {
        return new SmtpClient(port());
    }

    @Override
    public Optional<Directory> directory() {
        return directoryPresent ? Optional.of(directory) : Optional.empty();
    }

    @Override
    public Optional<DeliveryService> delivery() {
        return deliveryPresent ? Optional.of(delivery) : Optional.empty();
    }

    @Override
    public Optional<TlsService> tls() {
        return tlsPresent ? Optional.of(TestTls.get()) : Optional.empty();
    }

    @Override
    public void close() {
        listener.close();
    }
}
