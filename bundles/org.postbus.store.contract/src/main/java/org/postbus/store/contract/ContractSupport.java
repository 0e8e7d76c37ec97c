package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.store.contract.StoreFixture.PostedEvent;

/**
 * What every group of contract tests shares: the users, message builders, and the checks a
 * client would make. A group reaches the fixture of the test running now through
 * {@link #fixture()}, which {@link MailStoreContract} supplies.
 */
abstract class ContractSupport {

    static final MailAddress ALICE = new MailAddress("alice", "example.org");
    static final MailAddress BOB = new MailAddress("bob", "example.org");
    static final MailAddress CAROL = new MailAddress("carol", "example.net");

    /** A whole second, so that a store keeping internal dates to the second keeps it exactly. */
    static final Instant DATE = Instant.parse("2024-03-01T10:15:30Z");

    /** The largest IMAP nz-number: UIDs and UIDVALIDITY must fit in 32 bits unsigned. */
    static final long MAX_NZ_NUMBER = 0xFFFF_FFFFL;

    /** How long an asynchronously posted event may take to show up. */
    static final Duration EVENT_WAIT = Duration.ofSeconds(5);

    private final List<Mailbox> handles = Collections.synchronizedList(new ArrayList<>());
    private final List<PostedEvent> unclaimedEvents = new ArrayList<>();

    /** The fixture of the test running now. */
    abstract StoreFixture fixture();

    MailStore store() {
        return fixture().store();
    }

    @AfterEach
    final void closeHandles() {
        for (Mailbox handle : List.copyOf(handles)) {
            try {
                handle.close();
            } catch (RuntimeException ignored) {
                // a handle of a store that was reopened since may refuse; nothing to release then
            }
        }
        handles.clear();
    }

    // ---- mailboxes ----

    /** Opens a mailbox; the handle is closed after the test. */
    Mailbox open(MailAddress user, String name) throws StoreException {
        Mailbox handle = store().open(user, name);
        assertTrue(handle != null, "open(" + user + ", " + name + ") returned null");
        handles.add(handle);
        return handle;
    }

    Optional<MailboxInfo> listed(MailAddress user, String name) throws StoreException {
        return store().mailboxes(user).stream().filter(info -> info.name().equals(name)).findFirst();
    }

    MailboxInfo requireListed(MailAddress user, String name) throws StoreException {
        List<MailboxInfo> all = store().mailboxes(user);
        return all.stream().filter(info -> info.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                "mailbox '" + name + "' of " + user + " should be listed, list is "
                        + all.stream().map(MailboxInfo::name).toList()));
    }

    void assertNotListed(MailAddress user, String name, String why) throws StoreException {
        assertFalse(listed(user, name).isPresent(),
                "mailbox '" + name + "' should not be listed (" + why + "), list is " + namesOf(user));
    }

    List<String> namesOf(MailAddress user) throws StoreException {
        return store().mailboxes(user).stream().map(MailboxInfo::name).toList();
    }

    // ---- messages ----

    /** An RFC 5322 message with CRLF line ends, of exactly {@code size} bytes (at least ~60). */
    static byte[] message(String subject, int size) {
        String head = "From: sender@example.com\r\nSubject: " + subject + "\r\n\r\n";
        StringBuilder text = new StringBuilder(head);
        int line = 0;
        while (text.length() < size - 2) {
            String next = "line " + (line++) + " of " + subject + "\r\n";
            if (text.length() + next.length() > size - 2) {
                text.append("x".repeat(size - 2 - text.length()));
                break;
            }
            text.append(next);
        }
        text.append("\r\n");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length != size) {
            throw new IllegalArgumentException("subject must be ASCII and size at least the header: " + size);
        }
        return bytes;
    }

    /** A short message with that subject. */
    static byte[] message(String subject) {
        return ("From: sender@example.com\r\nTo: alice@example.org\r\nSubject: " + subject
                + "\r\n\r\nHello, this is " + subject + ".\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static MessageContent content(byte[] bytes) {
        return new BytesContent(bytes);
    }

    static AppendRequest request(byte[] bytes, Flags flags) {
        return new AppendRequest(content(bytes), flags, DATE);
    }

    static Flags flags(Set<Flag> system, String... keywords) {
        return new Flags(system.isEmpty() ? Set.of() : EnumSet.copyOf(system), Set.of(keywords));
    }

    static Flags keywords(String... keywords) {
        return new Flags(Set.of(), Set.of(keywords));
    }

    MessageMeta append(Mailbox mailbox, byte[] bytes, Flags flags) throws StoreException {
        MessageMeta meta = mailbox.append(request(bytes, flags));
        assertTrue(meta != null, "append returned null");
        return meta;
    }

    MessageMeta append(Mailbox mailbox, String subject, Flag... flags) throws StoreException {
        return append(mailbox, message(subject), Flags.of(flags));
    }

    static List<MessageMeta> list(Mailbox mailbox, UidRange range) throws StoreException {
        try (Stream<MessageMeta> messages = mailbox.messages(range)) {
            return messages.toList();
        }
    }

    static List<MessageMeta> all(Mailbox mailbox) throws StoreException {
        return list(mailbox, UidRange.ALL);
    }

    static List<MessageMeta> changedSince(Mailbox mailbox, long modSeq) throws StoreException {
        try (Stream<MessageMeta> messages = mailbox.changedSince(modSeq)) {
            return messages.toList();
        }
    }

    /** The current metadata of one message, failing if it is not there. */
    static MessageMeta meta(Mailbox mailbox, long uid) throws StoreException {
        List<MessageMeta> found = list(mailbox, UidRange.of(uid));
        assertEquals(1, found.size(), "messages(" + uid + ":" + uid + ") should list exactly UID " + uid
                + " in " + mailbox.info().name() + ", got " + uidsOf(found));
        assertEquals(uid, found.get(0).uid(), "messages(" + uid + ":" + uid + ") listed another UID");
        return found.get(0);
    }

    static List<Long> uidsOf(List<MessageMeta> metas) {
        return metas.stream().map(MessageMeta::uid).toList();
    }

    static List<Long> uids(Mailbox mailbox) throws StoreException {
        return Arrays.stream(mailbox.uids()).boxed().toList();
    }

    static List<UidRange> ranges(long... uids) {
        return Arrays.stream(uids).mapToObj(UidRange::of).toList();
    }

    static List<MessageMeta> update(Mailbox mailbox, FlagUpdate.Mode mode, Flags flags, long... uids)
            throws StoreException {
        return mailbox.updateFlags(ranges(uids), FlagUpdate.of(mode, flags));
    }

    static byte[] read(MessageContent content) throws IOException {
        try (InputStream in = content.open()) {
            return in.readAllBytes();
        }
    }

    static byte[] read(MessageContent content, long offset, long length) throws IOException {
        try (InputStream in = content.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    static byte[] read(Mailbox mailbox, long uid) throws StoreException, IOException {
        return read(mailbox.content(uid));
    }

    static void assertContent(byte[] expected, Mailbox mailbox, long uid, String what) throws Exception {
        MessageContent content = mailbox.content(uid);
        assertEquals(expected.length, content.size(), what + ": content size of UID " + uid);
        assertArrayEquals(expected, read(content), what + ": bytes of UID " + uid);
    }

    static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- checks ----

    static StoreException expectFailure(StoreException.Reason reason, String what, Executable call) {
        StoreException e = assertThrows(StoreException.class, call, what + " should fail with " + reason);
        assertEquals(reason, e.reason(), what + " failed with the wrong reason (" + e.getMessage() + ")");
        return e;
    }

    static void assertNzNumber(long value, String what) {
        assertTrue(value >= 1 && value <= MAX_NZ_NUMBER,
                what + " must be an IMAP nz-number (1 to 2^32-1), was " + value);
    }

    static void assertStrictlyAscending(List<Long> values, String what) {
        for (int i = 1; i < values.size(); i++) {
            assertTrue(values.get(i) > values.get(i - 1), what + " must be strictly ascending: " + values);
        }
    }

    /** The counters a client sees, without RECENT (IMAP4rev1 only, session dependent). */
    record Counters(long messages, long unseen, long deleted, long size) {
        static Counters of(MailboxStatus status) {
            return new Counters(status.messages(), status.unseen(), status.deleted(), status.size());
        }
    }

    /** Checks the status counters against the messages as listed. */
    static void assertCountersMatchMessages(Mailbox mailbox, String when) throws StoreException {
        List<MessageMeta> metas = all(mailbox);
        Counters expected = new Counters(metas.size(),
                metas.stream().filter(m -> !m.flags().has(Flag.SEEN)).count(),
                metas.stream().filter(m -> m.flags().has(Flag.DELETED)).count(),
                metas.stream().mapToLong(MessageMeta::size).sum());
        assertEquals(expected, Counters.of(mailbox.status()),
                "status (messages, unseen, deleted, size) should match the listed messages " + when);
    }

    // ---- events ----

    /** Forgets the events posted so far (first-use set-up, earlier steps). */
    void forgetEvents() {
        fixture().drainEvents();
        unclaimedEvents.clear();
    }

    /**
     * Waits for an event of the topic about the user's mailbox matching {@code match}, and claims
     * it so a later wait does not find it again.
     */
    PostedEvent awaitEvent(String topic, MailAddress user, String mailbox, Predicate<PostedEvent> match,
            String what) throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            unclaimedEvents.addAll(fixture().drainEvents());
            for (Iterator<PostedEvent> it = unclaimedEvents.iterator(); it.hasNext();) {
                PostedEvent event = it.next();
                if (event.topic().equals(topic) && user.equals(userOf(event))
                        && mailbox.equals(event.properties().get(StoreEvents.MAILBOX)) && match.test(event)) {
                    it.remove();
                    return event;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no " + topic + " event for " + user + " mailbox '" + mailbox + "' " + what + " within "
                        + EVENT_WAIT.toSeconds() + " s; events seen: " + describe(unclaimedEvents));
            }
            Thread.sleep(10);
        }
    }

    /** The events of a topic posted and not claimed so far, without waiting for more. */
    List<PostedEvent> unclaimed(String topic) {
        unclaimedEvents.addAll(fixture().drainEvents());
        return unclaimedEvents.stream().filter(e -> e.topic().equals(topic)).toList();
    }

    static MailAddress userOf(PostedEvent event) {
        Object user = event.properties().get(StoreEvents.USER);
        assertInstanceOf(String.class, user, "event property " + StoreEvents.USER + " must be a String: " + event);
        return MailAddress.parse((String) user);
    }

    static List<Long> eventUids(PostedEvent event) {
        Object uids = event.properties().get(StoreEvents.UIDS);
        assertInstanceOf(long[].class, uids, "event property " + StoreEvents.UIDS + " must be a long[]: " + event);
        return Arrays.stream((long[]) uids).boxed().toList();
    }

    static long eventLong(PostedEvent event, String property) {
        Object value = event.properties().get(property);
        assertInstanceOf(Long.class, value, "event property " + property + " must be a Long: " + event);
        return (Long) value;
    }

    static String eventString(PostedEvent event, String property) {
        Object value = event.properties().get(property);
        assertInstanceOf(String.class, value, "event property " + property + " must be a String: " + event);
        return (String) value;
    }

    private static String describe(List<PostedEvent> events) {
        return events.stream().map(e -> e.topic().substring(e.topic().lastIndexOf('/') + 1) + e.properties().entrySet()
                .stream().map(p -> p.getKey() + "=" + (p.getValue() instanceof long[] a ? Arrays.toString(a) : p.getValue()))
                .collect(Collectors.joining(", ", "{", "}"))).toList().toString();
    }

    // ---- threads ----

    /**
     * Runs {@code threads} tasks at once (released together) and returns their results in task
     * order; a task's failure fails the test, and so does a task still running after the timeout.
     */
    static <T> List<T> runConcurrently(int threads, Duration timeout, IntFunction<Callable<T>> task)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<T> body = task.apply(t);
                futures.add(pool.submit(() -> {
                    start.await();
                    return body.call();
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + timeout.toNanos();
            List<T> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                try {
                    results.add(futures.get(t).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("thread " + t + " failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    fail("thread " + t + " still running after " + timeout.toSeconds() + " s");
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The test's own message content: a byte array, readable in ranges. */
    record BytesContent(byte[] bytes) implements MessageContent {
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
    }

    /**
     * A message's metadata as a client compares it across calls: dates to the second (IMAP shows
     * no finer), everything else exact.
     */
    record Seen(long uid, long modSeq, Flags flags, Instant internalDate, Instant saveDate, long size,
            String emailId, String threadId) {
        static Seen of(MessageMeta meta) {
            return new Seen(meta.uid(), meta.modSeq(), meta.flags(),
                    meta.internalDate().truncatedTo(ChronoUnit.SECONDS), meta.saveDate().truncatedTo(ChronoUnit.SECONDS),
                    meta.size(), meta.emailId(), meta.threadId());
        }

        static List<Seen> of(List<MessageMeta> metas) {
            return metas.stream().map(Seen::of).toList();
        }
    }
}
