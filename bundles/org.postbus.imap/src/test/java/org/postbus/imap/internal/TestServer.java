package org.postbus.imap.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.osgi.service.event.Event;
import org.postbus.api.directory.Directory;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.MessageContent;
import org.postbus.api.tls.TlsService;
import org.postbus.imap.internal.session.SessionRegistry;
import org.postbus.store.file.internal.FileMailStore;
import org.postbus.testkit.FakeDirectory;
import org.postbus.testkit.TestTls;

/**
 * A listener on 127.0.0.1 and a free port over the real embedded store (in a temporary folder,
 * its events routed to the session registry as Event Admin would), a test directory and a real
 * TLS identity; each service can be taken away and given back while it runs.
 */
final class TestServer implements Services, AutoCloseable {

    static final MailAddress ALICE = MailAddress.parse("alice@example.org");

    final FakeDirectory directory = FakeDirectory.exampleOrg();
    final SessionRegistry registry = new SessionRegistry();
    volatile FileMailStore store;
    private final Path storeDir;
    /** The storage limit of every user in bytes, or -1 for none. */
    volatile long quota = -1;
    volatile boolean directoryPresent = true;
    volatile boolean storePresent = true;
    volatile boolean tlsPresent = true;
    final ListenerSettings settings;
    final ImapListener listener;
    /** Where the listener spools large literals (a folder per listener name below it). */
    final Path spoolDir;

    private TestServer(Path dir, ListenerSettings settings) throws Exception {
        this.storeDir = dir.resolve("store");
        this.store = openStore();
        this.settings = settings;
        this.spoolDir = dir.resolve("spool");
        this.listener = new ImapListener(settings, this, registry, spoolDir);
        if (!listener.start()) {
            store.close();
            throw new IllegalStateException(listener.health().detail());
        }
    }

    private FileMailStore openStore() throws Exception {
        return new FileMailStore(storeDir, user -> quota,
                (topic, properties) -> registry.handleEvent(new Event(topic, properties)));
    }

    /** Stops the store and starts a new instance on the same files, as a bundle update would. */
    void restartStore() throws Exception {
        store.close();
        store = openStore();
    }

    static TestServer start(Path dir, UnaryOperator<ListenerSettings> change) throws Exception {
        return new TestServer(dir, change.apply(defaults()));
    }

    /** Services with this server's directory, {@code store} in place of its own, and no TLS. */
    Services withStore(MailStore other) {
        TestServer self = this;
        return new Services() {
            @Override
            public Optional<Directory> directory() {
                return self.directory();
            }

            @Override
            public Optional<MailStore> store() {
                return Optional.of(other);
            }

            @Override
            public Optional<TlsService> tls() {
                return Optional.empty();
            }
        };
    }

    static TestServer start(Path dir) throws Exception {
        return start(dir, s -> s);
    }

    static ListenerSettings defaults() {
        return new ListenerSettings("test", "127.0.0.1", 0, false, true, true, 65536, 52428800L, false,
                Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(1860), 1000, 1000, 100, 50,
                Duration.ofMillis(50), 3, 20, Duration.ofSeconds(900));
    }

    int port() {
        return listener.localAddress().getPort();
    }

    ImapClient connect() throws Exception {
        return new ImapClient(port());
    }

    /** Delivers a message to a user's INBOX as local delivery does. */
    long deliver(MailAddress user, String message) throws Exception {
        byte[] bytes = message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        MessageContent content = new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public java.io.InputStream open(long offset, long length) {
                int from = (int) Math.min(offset, bytes.length);
                return new java.io.ByteArrayInputStream(bytes, from, (int) Math.min(length, bytes.length - from));
            }
        };
        return store.deliver(Map.of(user, MailStore.INBOX), new AppendRequest(content, Flags.NONE, Instant.now()))
                .get(user);
    }

    @Override
    public Optional<Directory> directory() {
        return directoryPresent ? Optional.of(directory) : Optional.empty();
    }

    @Override
    public Optional<MailStore> store() {
        return storePresent ? Optional.of(store) : Optional.empty();
    }

    @Override
    public Optional<TlsService> tls() {
        return tlsPresent ? Optional.of(TestTls.get()) : Optional.empty();
    }

    @Override
    public void close() {
        listener.close();
        store.close();
    }
}
