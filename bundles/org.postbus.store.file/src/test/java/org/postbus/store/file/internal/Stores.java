package org.postbus.store.file.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.StoreException;

/** Opens stores in a folder, with quotas and events the tests control. */
final class Stores {

    /** An event as posted. */
    record Posted(String topic, Map<String, Object> properties) {
    }

    final Path root;
    final FileMailStore.Settings settings;
    final Clock clock;
    final Map<MailAddress, Long> quotas = new ConcurrentHashMap<>();
    final List<Posted> events = new CopyOnWriteArrayList<>();
    FileMailStore store;

    Stores(Path root) throws StoreException {
        this(root, FileMailStore.Settings.DEFAULT);
    }

    Stores(Path root, FileMailStore.Settings settings) throws StoreException {
        this(root, settings, Clock.systemUTC());
    }

    Stores(Path root, FileMailStore.Settings settings, Clock clock) throws StoreException {
        this.root = root;
        this.settings = settings;
        this.clock = clock;
        open();
    }

    FileMailStore open() throws StoreException {
        store = new FileMailStore(root, settings, quotas::get, (t, p) -> events.add(new Posted(t, p)), clock);
        return store;
    }

    FileMailStore reopen() throws StoreException {
        store.close();
        return open();
    }

    FileMailStore crashAndReopen() throws StoreException {
        store.crashForTests();
        return open();
    }

    void close() {
        store.close();
    }

    List<Posted> events(String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).toList();
    }

    /** A clock the test moves by hand. */
    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }

    static MailAddress addr(String text) {
        return MailAddress.parse(text);
    }

    static MessageContent content(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    static MessageContent bytes(byte[] data) {
        return new MessageContent() {
            @Override
            public long size() {
                return data.length;
            }

            @Override
            public InputStream open(long offset, long length) {
                int from = (int) Math.min(offset, data.length);
                int len = (int) Math.min(length, data.length - from);
                return new ByteArrayInputStream(data, from, len);
            }
        };
    }

    static AppendRequest message(String text) {
        return new AppendRequest(content(text), Flags.NONE, Instant.parse("2024-05-01T10:00:00Z"));
    }

    static AppendRequest message(String text, Flags flags) {
        return new AppendRequest(content(text), flags, Instant.parse("2024-05-01T10:00:00Z"));
    }

    static String mail(String messageId, String inReplyTo, String references, String body) {
        StringBuilder sb = new StringBuilder();
        sb.append("From: a@example.org\r\nTo: b@example.org\r\nSubject: test\r\n");
        if (messageId != null) {
            sb.append("Message-ID: <").append(messageId).append(">\r\n");
        }
        if (inReplyTo != null) {
            sb.append("In-Reply-To: <").append(inReplyTo).append(">\r\n");
        }
        if (references != null) {
            sb.append("References: ").append(references).append("\r\n");
        }
        return sb.append("\r\n").append(body).append("\r\n").toString();
    }

    static String read(MessageContent c, long offset, long length) throws Exception {
        try (InputStream in = c.open(offset, length)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
