package org.postbus.pop3.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postbus.api.directory.Directory;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.StoreException;
import org.postbus.api.tls.TlsService;
import org.postbus.store.file.internal.FileMailStore;
import org.postbus.testkit.FakeDirectory;
import org.postbus.testkit.TestTls;

/**
 * A listener on 127.0.0.1 and a free port, with a fake directory, the real file store in a
 * temporary folder and a real TLS identity; each service can be taken away and given back while
 * it runs.
 */
final class TestServer implements Services, AutoCloseable {

    static final MailAddress ALICE = MailAddress.parse("alice@example.org");
    static final MailAddress BOB = MailAddress.parse("bob@example.org");

    final FakeDirectory directory = FakeDirectory.exampleOrg();
    final Path storeRoot;
    volatile FileMailStore store;
    volatile boolean directoryPresent = true;
    volatile boolean storePresent = true;
    volatile boolean tlsPresent = true;
    final ListenerSettings settings;
    final Pop3Listener listener;

    private TestServer(Path storeRoot, ListenerSettings settings) throws StoreException {
        this.storeRoot = storeRoot;
        this.store = openStore(storeRoot);
        this.settings = settings;
        this.listener = new Pop3Listener(settings, this);
        if (!listener.start()) {
            store.close();
            throw new IllegalStateException(listener.health().detail());
        }
    }

    static TestServer start(Path storeRoot, UnaryOperator<ListenerSettings> change) throws StoreException {
        return new TestServer(storeRoot, change.apply(defaults()));
    }

    static TestServer start(Path storeRoot) throws StoreException {
        return start(storeRoot, settings -> settings);
    }

    /** The configuration's defaults, with a short login failure delay. */
    static ListenerSettings defaults() {
        return new ListenerSettings("test", "127.0.0.1", 0, false, true, true, 1024, Duration.ofSeconds(300),
                Duration.ofSeconds(600), 500, 20, 3, 20, 3, Duration.ofMillis(50), 10, Duration.ofSeconds(900),
                "pop.example.test");
    }

    static FileMailStore openStore(Path root) throws StoreException {
        return new FileMailStore(root, user -> null, (topic, properties) -> { });
    }

    /** Closes the store and opens it anew from its files, as a server restart does. */
    void restartStore() throws StoreException {
        store.close();
        store = openStore(storeRoot);
    }

    int port() {
        return listener.localAddress().getPort();
    }

    Pop3Client connect() throws Exception {
        return new Pop3Client(port());
    }

    /** Delivers {@code text} (LF or CRLF line ends; stored with CRLF) into the user's INBOX. */
    long deliver(MailAddress user, String text) throws StoreException {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return store.deliver(Map.of(user, MailStore.INBOX),
                new AppendRequest(content(bytes), Flags.NONE, Instant.now())).get(user);
    }

    /** Alice's INBOX as in RFC 1939's example: two messages of 120 and 200 octets. */
    void rfcExample() throws StoreException {
        deliver(ALICE, sized("From: bob@example.org\nTo: alice@example.org\nSubject: first\n\nLine one\nLine two\n", 120));
        deliver(ALICE, sized("From: carol@example.org\nTo: alice@example.org\nSubject: second\n\nHello\n.hidden dot\n"
                + "..two dots\n", 200));
    }

    /** {@code text} with a last line of x's added so that, with CRLF line ends, it has {@code size} octets. */
    static String sized(String text, int size) {
        int crlfLength = text.replace("\n", "\r\n").length();
        int pad = size - crlfLength - 2;
        if (pad < 1) {
            throw new IllegalArgumentException("too long for " + size + ": " + text);
        }
        return text + "x".repeat(pad) + "\n";
    }

    static MessageContent content(byte[] bytes) {
        return new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long offset, long length) {
                int from = (int) Math.min(offset, bytes.length);
                int count = (int) Math.min(length, bytes.length - from);
                return new ByteArrayInputStream(bytes, from, count);
            }
        };
    }

    /** How many messages the user's INBOX holds now, read through the store as IMAP would. */
    int inboxSize(MailAddress user) throws StoreException {
        try (var mailbox = store.open(user, MailStore.INBOX)) {
            return mailbox.uids().length;
        }
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
